"""The safe Markdown subset news is written in, as HTML and as plain text."""

from msknet.communications.news_markdown import to_html, to_text


def test_html_is_shown_as_text_never_run():
    html = to_html("Hello <script>alert('x')</script> <b>bold</b>")

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_javascript_and_data_links_are_not_links():
    html = to_html("[Click me](javascript:alert) and [this](data:text/html,hi)")

    assert "<a" not in html
    assert "Click me" in html and "this" in html


def test_web_and_mail_links_open_safely():
    html = to_html("See [our site](https://example.nhs.uk/a?x=1&y=2) or "
                   "[write](mailto:news@example.nhs.uk)")

    assert ('<a href="https://example.nhs.uk/a?x=1&amp;y=2" rel="noopener">our site</a>'
            in html)
    assert '<a href="mailto:news@example.nhs.uk" rel="noopener">write</a>' in html


def test_images_show_only_their_description():
    html = to_html("![A knee](https://example.org/knee.png)")

    assert "<img" not in html
    assert "A knee" in html


def test_headings_emphasis_and_lists():
    source = ("## Coming up\n\nThe **spinal** pathway is *new*.\n\n"
              "- First\n- Second\n\n1. One\n2. Two\n\n### Smaller")

    html = to_html(source)

    assert "<h2>Coming up</h2>" in html
    assert "<p>The <strong>spinal</strong> pathway is <em>new</em>.</p>" in html
    assert "<ul><li>First</li><li>Second</li></ul>" in html
    assert "<ol><li>One</li><li>Two</li></ol>" in html
    assert "<h3>Smaller</h3>" in html


def test_email_html_carries_inline_styles():
    html = to_html("## Hi\n\n[Go](https://example.org)", email=True)

    assert '<h2 style="' in html
    assert '<a href="https://example.org" rel="noopener" style="' in html


def test_plain_text_has_no_markup_and_shows_link_addresses():
    text = to_text("## Coming up\n\nRead **O'Brien & Co** on [our site](https://example.org)."
                   "\n\n- One\n- Two")

    assert text == (
        "Coming up\n=========\n\n"
        "Read O'Brien & Co on our site (https://example.org).\n\n"
        "- One\n- Two"
    )


def test_plain_text_drops_unsafe_link_addresses():
    assert to_text("[Click](javascript:alert)") == "Click"
