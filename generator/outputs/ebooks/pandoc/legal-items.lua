-- Numbered items of legal text hang in the e-books as on the website: a paragraph that starts with
-- 一、 （一） 1. or （1） is put in <div class="legal-item legal-level-N legal-hang-K"> and its number
-- in <span class="legal-marker">. The rules follow generator/markup/legal.py (marker()), which
-- documents them; tests/markup/test_legal.py holds both to the same examples. epub.css styles them.
-- Used by generator/outputs/ebooks/epub.py for every book.

local NUMERALS = {}
for _, c in utf8.codes("〇一二三四五六七八九十百") do NUMERALS[c] = true end
local OPEN = { [0xFF08] = true, [40] = true }   -- （ (
local CLOSE = { [0xFF09] = true, [41] = true }  -- ） )
local COMMA = 0x3001                            -- 、
local STOPS = { [46] = true, [0xFF0E] = true, [0x3001] = true }  -- . ． 、

local function is_digit(c) return (c >= 48 and c <= 57) or (c >= 0xFF10 and c <= 0xFF19) end
local function is_space(c) return c == 32 or c == 9 or c == 0x3000 end
local function width(c) if c < 0x1100 then return 0.55 end return 1 end

-- The number at the start of `codes` (a list of code points): its length in code points and its
-- level, or nil.
local function match(codes)
  local function run(i, test)
    local j = i
    while codes[j] and test(codes[j]) do j = j + 1 end
    return j
  end
  local is_numeral = function(c) return NUMERALS[c] == true end
  local j = run(1, is_numeral)
  if j > 1 and codes[j] == COMMA then return j, 1 end
  j = run(1, is_digit)
  if j > 1 and STOPS[codes[j]] then return j, 3 end
  if codes[1] and OPEN[codes[1]] then
    j = run(2, is_numeral)
    if j > 2 and codes[j] and CLOSE[codes[j]] then return j, 2 end
    j = run(2, is_digit)
    if j > 2 and codes[j] and CLOSE[codes[j]] then return j, 4 end
  end
  return nil
end

function Para(para)
  local first = para.content[1]
  if not first or first.t ~= "Str" then return nil end
  local codes = {}
  for _, c in utf8.codes(first.text) do codes[#codes + 1] = c end
  local length, level = match(codes)
  if not length then return nil end
  local after = codes[length + 1]
  if not after or is_space(after) or is_digit(after) then return nil end
  local hang = 0
  for i = 1, length do hang = hang + width(codes[i]) end
  hang = math.min(4, math.max(1, math.ceil(hang)))
  local number = utf8.char(table.unpack(codes, 1, length))
  local rest = utf8.char(table.unpack(codes, length + 1))
  local content = { pandoc.Span({ pandoc.Str(number) }, { class = "legal-marker" }), pandoc.Str(rest) }
  for i = 2, #para.content do content[#content + 1] = para.content[i] end
  local classes = { "legal-item", "legal-level-" .. level, "legal-hang-" .. hang }
  return pandoc.Div({ pandoc.Para(content) }, pandoc.Attr("", classes))
end
