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


def test_relative_links_are_those_of_relpath():
    """The links a template makes (templating.relative) are posixpath.relpath's, for every kind of path."""
    import itertools
    import posixpath

    from generator.website.templating import link, relative

    paths = ["", "index.md", "gazette/index.md", "gazette/2026/01/index.md", "gazette/2026/01/03/index.md",
             "gazette/2026/02/", "gazette/2026/01/gazette-2026-01.pdf", "gazette/category/notices/index.md",
             "directory/transportation/index.md", "data/gazette/notices.csv", "en/yearbook/2025/overview/index.md",
             "a//b/", "./gazette/x.md", "gazette/../data/index.md", "/abs/page.md", "gazette/2026"]
    for target, source in itertools.product(paths, paths):
        folder = posixpath.dirname(source)
        try:
            expected = posixpath.relpath(target, folder or ".")
        except ValueError:  # relpath refuses an empty target; so does relative
            try:
                relative(target, folder)
            except ValueError:
                continue
            raise AssertionError(f"{target!r} from {folder!r}") from None
        assert relative(target, folder) == expected, (target, folder)
        assert link(source, target) == expected
