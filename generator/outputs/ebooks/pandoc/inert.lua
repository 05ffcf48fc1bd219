-- Defence in depth for the e-books: nothing that can run script reaches a chapter, whatever
-- `check` let through. check refuses such markup at its line and column (generator/checking/rules.py);
-- this filter is the second layer, as nh3 is for the website's pages
-- (generator/markup/sanitize.py). Used by generator/outputs/ebooks/epub.py for every book.
--
-- Raw HTML that names a script-capable element, carries an on…= event attribute or a
-- javascript:/vbscript:/data: URL (entities decoded, spaces and controls dropped, any case) is
-- not passed through: it becomes text, shown as typed and escaped by pandoc. Links and images to
-- such URLs keep their text and lose the URL; on… attributes are dropped from every element.

local UNSAFE_TAGS = {
  script = true, iframe = true, object = true, embed = true, frame = true, frameset = true,
  applet = true, base = true, form = true, meta = true, link = true, style = true, svg = true,
  math = true, template = true,
}
local NAMED = { tab = "\t", newline = "\n", colon = ":", lpar = "(", rpar = ")", sol = "/" }

local function char(code)
  local ok, result = pcall(utf8.char, code)
  return ok and result or ""
end

-- The text as a browser reads it: numeric and a few named entities decoded.
local function decode(text)
  text = text:gsub("&#[xX](%x+);?", function(hex) return char(tonumber(hex, 16)) end)
  text = text:gsub("&#(%d+);?", function(dec) return char(tonumber(dec)) end)
  return (text:gsub("&(%a+);", function(name) return NAMED[name:lower()] end))
end

local function script_url(text)
  local squeezed = decode(text):lower():gsub("[%z\1-\32]", "")
  return squeezed:find("javascript:", 1, true) or squeezed:find("vbscript:", 1, true)
    or squeezed:find("data:", 1, true)
end

local function runs(html)
  local lower = decode(html):lower()
  for tag in lower:gmatch("<[%s/]*([%a][%w-]*)") do
    if UNSAFE_TAGS[tag] then return true end
  end
  return lower:find("[%s/\"']on%a+[%s%z\1-\32]*=") ~= nil or script_url(html) ~= nil
end

local function is_html(format)
  return format == "html" or format == "html5" or format == "html4"
end

local function without_handlers(el)
  local kept = {}
  for key, value in pairs(el.attributes) do
    if not key:lower():match("^on") then kept[key] = value end
  end
  el.attributes = kept
  return el
end

-- Closing tags are passed through only where an opening tag of the same name was (counted per
-- name, separately for inline and block HTML): the closing tag of an element whose opening tag
-- became text, or of none at all (a stray </script>, </title>), becomes text too, so the chapter
-- stays well-formed XHTML.
local VOID = { area = true, br = true, col = true, hr = true, img = true, input = true, wbr = true,
               source = true, track = true, param = true }
local kept = { inline = {}, block = {} }

local function as_text(text, kind)
  local closing, tag = text:match("^<%s*(/?)%s*([%a][%w-]*)")
  if tag == nil then return runs(text) end
  tag = tag:lower()
  local open = kept[kind]
  if closing == "/" then
    if (open[tag] or 0) == 0 then return true end
    open[tag] = open[tag] - 1
    return false
  end
  if runs(text) then return true end
  if not VOID[tag] and not text:match("/>%s*$") and not text:match("</%s*" .. tag .. "%s*>%s*$") then
    open[tag] = (open[tag] or 0) + 1
  end
  return false
end

local filter = {
  RawInline = function(el)
    if is_html(el.format) and as_text(el.text, "inline") then return pandoc.Str(el.text) end
  end,
  RawBlock = function(el)
    if is_html(el.format) and as_text(el.text, "block") then return pandoc.Para({ pandoc.Str(el.text) }) end
  end,
  Link = function(el)
    if script_url(el.target) then return el.content end
    return without_handlers(el)
  end,
  Image = function(el)
    if script_url(el.src) then return el.caption end
    return without_handlers(el)
  end,
}
for _, name in ipairs({ "Span", "Div", "Header", "Code", "CodeBlock", "Table", "Figure" }) do
  filter[name] = without_handlers
end

return { filter }
