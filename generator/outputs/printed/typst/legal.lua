-- pandoc Lua filter for the print edition (HTML -> Typst).
-- 1. Each top-level Div whose identifier is "part-N" (put there by the generator, around one notice
--    or chapter) becomes a call of the template's `part` function with the N-th record of the
--    document's data: `#part(N)[ ...the body... ]`. Only the generator's own wrappers are top level:
--    a Div written in a body is always inside one, so content cannot start a part of its own.
-- 2. A paragraph that starts with a numbered legal item (一、 （一） 1. （1）) becomes
--    `#item(level, [label])[rest]`: the template sets it with a hanging indent.
-- 3. A top-level Div "document-break-<hex>" (put there by the generator between the issues it
--    converts in one run, typeset.to_typst_many) becomes the Typst comment `// document-break-<hex>`,
--    where the generator splits the output again.
-- Everything else, and all text, is written by pandoc's Typst writer, which escapes it.

local NUMERALS = {}
for _, c in utf8.codes("一二三四五六七八九十百零〇") do NUMERALS[c] = true end
local IDEOGRAPHIC_COMMA, FULL_OPEN, FULL_CLOSE = utf8.codepoint("、"), utf8.codepoint("（"), utf8.codepoint("）")

-- The label at the start of s and its level, or nil: 一、 (1), （一） (2), 1. or 1、 (3), （1） (4).
local function label_of(s)
  local cps = {}
  for _, c in utf8.codes(s) do cps[#cps + 1] = c; if #cps > 8 then break end end
  local function run(i, test) local j = i; while cps[j] and test(cps[j]) do j = j + 1 end; return j end
  local is_numeral = function(c) return NUMERALS[c] end
  local is_digit = function(c) return c >= 48 and c <= 57 end
  local function take(n) return utf8.char(table.unpack(cps, 1, n)) end
  local j = run(1, is_numeral)
  if j > 1 and cps[j] == IDEOGRAPHIC_COMMA then return take(j), 1 end
  if cps[1] == FULL_OPEN then
    local k = run(2, is_numeral)
    if k > 2 and cps[k] == FULL_CLOSE then return take(k), 2 end
    k = run(2, is_digit)
    if k > 2 and cps[k] == FULL_CLOSE then return take(k), 4 end
  end
  j = run(1, is_digit)
  if j > 1 and j <= 3 and (cps[j] == 46 or cps[j] == IDEOGRAPHIC_COMMA) and (cps[j + 1] == nil or not is_digit(cps[j + 1])) then
    return take(j), 3
  end
  return nil
end

local function item(para)
  local first = para.content[1]
  if not first or first.t ~= "Str" then return nil end
  local label, level = label_of(first.text)
  if not label then return nil end
  local rest = first.text:sub(#label + 1)
  local inlines = pandoc.List({})
  if rest ~= "" then inlines:insert(pandoc.Str(rest)) end
  for i = 2, #para.content do inlines:insert(para.content[i]) end
  -- leading spaces after the label are the label's
  while inlines[1] and (inlines[1].t == "Space" or inlines[1].t == "SoftBreak") do inlines:remove(1) end
  -- one line, so that no space comes between the label, its text and the brackets
  local line = pandoc.List({ pandoc.RawInline("typst", "#item(" .. level .. ", ["), pandoc.Str(label),
                             pandoc.RawInline("typst", "])[") })
  line:extend(inlines)
  line:insert(pandoc.RawInline("typst", "]"))
  return pandoc.Plain(line)
end

-- Identifiers and links inside a document: a body's own anchors (footnotes, headings) are not
-- unique across the notices of an issue, and print has nowhere to jump: keep the text only.
local function plain_link(link)
  if link.target:sub(1, 1) ~= "#" then return nil end
  if link.classes:includes("footnote-backref") then return {} end
  return link.content
end
local function no_identifier(el)
  if el.identifier == "" then return nil end
  el.identifier = ""
  return el
end

-- An image alone in its paragraph (a yearbook's figure): a figure, captioned with its text
-- alternative (check requires one), which the PDF also keeps as the image's alternative text.
local function figure(para)
  if #para.content ~= 1 or para.content[1].t ~= "Image" then return nil end
  local image = para.content[1]
  return pandoc.Figure({ pandoc.Plain({ image }) }, { long = { pandoc.Plain(image.caption) } })
end

-- The images the generator hands to Typst (metadata "print-image", one value per file). Any other
-- image (one a body names that is not among them) is printed as its text alternative: Typst would
-- stop on a missing file, and print never fetches from the web.
local function known_images(meta)
  local known, value = {}, meta["print-image"]
  if value == nil then return known end
  if value.t == "MetaList" or (type(value) == "table" and value.t == nil) then
    for _, v in ipairs(value) do known[pandoc.utils.stringify(v)] = true end
  else
    known[pandoc.utils.stringify(value)] = true
  end
  return known
end

function Pandoc(doc)
  local known = known_images(doc.meta)
  doc.meta["print-image"] = nil
  local wrappers, breaks = {}, {}
  for i, block in ipairs(doc.blocks) do
    if block.t == "Div" then
      wrappers[i] = block.identifier:match("^part%-(%d+)$")
      breaks[i] = block.identifier:match("^document%-break%-(%x+)$")
    end
  end
  -- one walk (each walk converts the whole document between pandoc and Lua): inlines first, then
  -- blocks, so an image a paragraph holds is already kept or replaced by its text when the
  -- paragraph is looked at, and a link within the document already its text (a paragraph that
  -- begins with a linked label, [一、](#…), hangs like any other item)
  doc = doc:walk({
    Image = function(image)
      if not known[image.src] then return image.caption end
      return no_identifier(image)
    end,
    Para = function(para) return figure(para) or item(para) end,
    Link = plain_link, Div = no_identifier, Span = no_identifier, Header = no_identifier,
    Table = no_identifier, Code = no_identifier, CodeBlock = no_identifier,
  })
  local blocks = pandoc.List({})
  for i, block in ipairs(doc.blocks) do
    local n = wrappers[i]
    if breaks[i] then
      blocks:insert(pandoc.RawBlock("typst", "// document-break-" .. breaks[i]))
    elseif n then
      blocks:insert(pandoc.RawBlock("typst", "#part(" .. n .. ")["))
      blocks:extend(block.content)
      blocks:insert(pandoc.RawBlock("typst", "]"))
    else
      blocks:insert(block)
    end
  end
  return pandoc.Pandoc(blocks, doc.meta)
end
