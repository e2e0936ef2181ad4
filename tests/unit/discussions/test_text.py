from types import SimpleNamespace

from msknet.discussions.text import mentioned_names, plain_body, render_body


def person(name, erased=False):
    return SimpleNamespace(display_name="Former member" if erased else name)


def test_script_in_a_post_is_shown_as_text():
    html = render_body('<script>alert("x")</script> <b>bold</b>')

    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_web_addresses_become_nofollow_noopener_links():
    html = render_body("See https://www.nice.org.uk/guidance/ng193 for the guideline")

    assert (
        '<a href="https://www.nice.org.uk/guidance/ng193" rel="nofollow noopener">'
        in html
    )


def test_javascript_address_is_not_linked():
    html = render_body("javascript:alert(1) and [x](javascript:alert(1))")

    assert "<a " not in html


def test_paragraphs_and_line_breaks_are_kept():
    html = render_body("First line\nsecond line\n\n\nNew paragraph")

    assert html.count("<p ") == 2
    assert "First line<br>second line" in html


def test_mention_shows_the_members_current_name():
    html = render_body(
        "Thanks @[aisha rahman]!", {"aisha rahman": person("Aisha Rahman")}
    )

    assert '<strong class="msknet-mention">@Aisha Rahman</strong>!' in html


def test_mention_of_an_erased_member_shows_former_member():
    mentioned = {"aisha rahman": person("Aisha Rahman", erased=True)}

    assert "@Former member" in render_body("Ask @[Aisha Rahman]", mentioned)
    assert plain_body("Ask @[Aisha Rahman]", mentioned) == "Ask @Former member"


def test_mention_markup_in_a_name_is_escaped():
    mentioned = {"o'neil": person("<i>O'Neil</i>")}

    html = render_body("Hi @[O'Neil]", mentioned)

    assert "@&lt;i&gt;O&#x27;Neil&lt;/i&gt;" in html


def test_unresolved_brackets_stay_as_text():
    assert "@[Nobody]" in render_body("Hi @[Nobody]")


def test_mentioned_names_are_normalised_and_unique():
    body = "@[Aisha  Rahman] and @[aisha rahman] and @[Tom Brennan]"

    assert mentioned_names(body) == ["aisha rahman", "tom brennan"]
