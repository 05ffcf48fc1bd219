"""The page templates' helpers: a label filled with text and markup, each escaped for where it lands."""

from __future__ import annotations

from markupsafe import Markup

from generator.website.templating import Templates, fill


def test_fill_escapes_the_words_and_text_values_but_keeps_markup():
    filled = fill("<{title}> & {date}出刊 {{literal}}", title="[a]_b_ <i>", date=Markup('<time datetime="2026-01-01">x</time>'))
    assert isinstance(filled, Markup)
    assert filled == '&lt;&#91;a&#93;&#95;b&#95; &lt;i&gt;&gt; &amp; <time datetime="2026-01-01">x</time>出刊 &#123;literal&#125;'


def test_fill_in_a_template_takes_a_macro_s_markup(tmp_path):
    (tmp_path / "page.md").write_text('{% macro linked(text, target) %}[{{ text }}]({{ link(target) }}){% endmacro %}'
                                      '{{ label | fill(count=n, link=linked(title, "gazette/2026/index.md")) }}\n', encoding="utf-8")
    text = Templates(tmp_path).render("page.md", "gazette/index.md", label="共 {count} 則：{link}", n=3, title="*x*")
    assert text == "共 3 則：[&#42;x&#42;](2026/index.md)\n"
