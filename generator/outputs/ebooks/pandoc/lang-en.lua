-- Tags English words and phrases inside the Chinese book as English: <span lang="en">…</span>.
-- Reading systems and screen readers then pronounce, hyphenate and set them as English.
-- Used by generator/outputs/ebooks/epub.py for the zh-Hant book only.
--
-- A phrase starts at a word holding a Latin letter and runs on over the spaces and the words or
-- numbers that follow ("Smart Jiahe 2.0", "Harbor–Hill Express"); it stops at any other character,
-- so Han characters and full-width punctuation are never taken in. Numbers alone ("2025年") stay
-- as they are: they are not English.

-- Characters of a Latin word besides ASCII letters and digits: . ' & / + - and ’ (U+2019), – (U+2013).
local JOINERS = { [46] = true, [39] = true, [38] = true, [47] = true, [43] = true, [45] = true,
                  [0x2019] = true, [0x2013] = true }

local function is_ascii_letter(code)
  return (code >= 65 and code <= 90) or (code >= 97 and code <= 122)
end

local function is_word_char(code)
  return is_ascii_letter(code) or (code >= 48 and code <= 57) or JOINERS[code] == true
end

-- Splits a string into pieces: {kind = "en" | "num" | "text", text = ...}.
local function pieces(text)
  local result, current, word, letter = {}, {}, nil, false
  local function flush()
    if #current > 0 then
      local kind = "text"
      if word then kind = letter and "en" or "num" end
      table.insert(result, { kind = kind, text = table.concat(current) })
    end
    current, letter = {}, false
  end
  for _, code in utf8.codes(text) do
    local is_word = is_word_char(code)
    if word ~= nil and is_word ~= word then flush() end
    word = is_word
    letter = letter or is_ascii_letter(code)
    table.insert(current, utf8.char(code))
  end
  flush()
  return result
end

-- Tokens of an inline list: Str split into pieces, spaces, and any other inline as it is.
local function tokens(inlines)
  local result = {}
  for _, el in ipairs(inlines) do
    if el.t == "Str" then
      for _, piece in ipairs(pieces(el.text)) do table.insert(result, piece) end
    elseif el.t == "Space" then
      table.insert(result, { kind = "space", el = el })
    else
      table.insert(result, { kind = "other", el = el })
    end
  end
  return result
end

local function inline_of(token)
  if token.el then return token.el end
  return pandoc.Str(token.text)
end

function Inlines(inlines)
  local toks = tokens(inlines)
  local out, i = pandoc.Inlines({}), 1
  while i <= #toks do
    local tok = toks[i]
    if tok.kind == "en" then
      local phrase = pandoc.Inlines({ pandoc.Str(tok.text) })
      local j = i + 1
      while j + 1 <= #toks and toks[j].kind == "space" and (toks[j + 1].kind == "en" or toks[j + 1].kind == "num") do
        phrase:insert(pandoc.Space())
        phrase:insert(pandoc.Str(toks[j + 1].text))
        j = j + 2
      end
      out:insert(pandoc.Span(phrase, pandoc.Attr("", {}, { lang = "en" })))
      i = j
    else
      out:insert(inline_of(tok))
      i = i + 1
    end
  end
  return out
end
