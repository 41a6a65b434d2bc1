"""cases.pdf.render_pdf: real WeasyPrint output, read back from the PDF bytes.

No PDF reader is installed (and none is added for this), so ``pdf_pages_text`` below reads
WeasyPrint's output itself: objects (also inside object streams), each page's content
stream, and the fonts' ToUnicode maps – which is exactly what makes text extractable for a
screen reader or a search, so å, ä and ö coming back out is a real check.
"""

import re
import socket
import zlib
from datetime import date
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from cases import pdf
from cases.pdf import PdfResourceError, render_pdf, static_document_url, static_url_fetcher

STATIC_PREFIX = "https://vagen-pdf.invalid/static/"


# --- Reading the PDF back -------------------------------------------------------------

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
TEXT_OPERATOR = re.compile(
    rb"/([^\s/\[\]<>()]+)\s+[-\d.]+\s+Tf"  # font selection
    rb"|(?:[-\d.]+\s+){5}([-\d.]+)\s+Tm"  # text matrix: a new line when y changes
    rb"|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj"  # glyphs
)


def _stream(body: bytes) -> bytes:
    """A stream's bytes, exactly /Length of them after the line ending that follows the
    ``stream`` keyword (PDF 32000 7.3.8). Searching for ``endstream`` instead cuts a
    compressed stream whose last byte happens to be a carriage return – which depends on
    what the page says, such as today's date."""
    head, _, rest = body.partition(b"stream")
    data = rest[2:] if rest.startswith(b"\r\n") else rest[1:]
    length = re.search(rb"/Length\s+(\d+)(\s+\d+\s+R)?", head)
    if length and not length[2]:
        data = data[: int(length[1])]
    else:  # an indirect length: up to the keyword; zlib ignores the end-of-line after it
        data = data.rsplit(b"endstream", 1)[0]
    if b"/FlateDecode" not in head:
        return data
    inflate = zlib.decompressobj()
    content = inflate.decompress(data)
    assert inflate.eof, "the compressed stream ends early"
    return content


def test_reading_a_stream_whose_compressed_bytes_end_in_a_carriage_return():
    """The reader itself: it must not depend on what the compressed bytes happen to be."""
    content, packed = next(
        (text, packed)
        for i in range(10_000)
        if (packed := zlib.compress(text := f"BT ({i}) Tj ET".encode())).endswith(b"\r")
    )
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)
    assert _stream(body) == content
    plain = b"<< /Length 5 >>\nstream\r\nab\r\nc\r\nendstream"
    assert _stream(plain) == b"ab\r\nc"


def pdf_objects(data: bytes) -> dict[int, bytes]:
    objects = {int(number): body for number, body in OBJECT.findall(data)}
    for body in list(objects.values()):
        if re.search(rb"/Type\s*/ObjStm", body):
            content = _stream(body)
            first = int(re.search(rb"/First (\d+)", body)[1])
            header = [int(value) for value in content[:first].split()]
            numbers, offsets = header[::2], [*header[1::2], len(content) - first]
            for i, number in enumerate(numbers):
                objects[number] = content[first + offsets[i] : first + offsets[i + 1]].strip()
    return objects


def _entry(objects: dict[int, bytes], body: bytes, key: bytes) -> bytes:
    """A dictionary entry, following an indirect reference."""
    if reference := re.search(rb"/" + key + rb"\s*(\d+) 0 R", body):
        return objects[int(reference[1])]
    inline = re.search(rb"/" + key + rb"\s*(<<.*?>>)", body, re.S)
    return inline[1] if inline else b""


def _to_unicode(cmap: bytes) -> dict[int, str]:
    text, mapping = cmap.decode("latin-1"), {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<(\w+)>\s*<(\w+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(int(target, 16) + offset)
    return mapping


def pdf_pages_text(data: bytes) -> list[str]:
    """The text of each page, one line per baseline, as a PDF reader extracts it."""
    objects = pdf_objects(data)
    tree = next(body for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body))
    kids = re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", tree, re.S)[1])
    pages = []
    for kid in kids:
        page = objects[int(kid)]
        fonts = _entry(objects, _entry(objects, page, b"Resources"), b"Font")
        maps = {
            name.decode(): _to_unicode(_stream(objects[int(to_unicode[1])]))
            for name, number in re.findall(rb"/(\S+?)\s+(\d+) 0 R", fonts)
            if (to_unicode := re.search(rb"/ToUnicode (\d+) 0 R", objects[int(number)]))
        }
        contents = re.search(rb"/Contents\s*(\[.*?\]|\d+ 0 R)", page, re.S)[1]
        stream = b"".join(_stream(objects[int(n)]) for n in re.findall(rb"(\d+) 0 R", contents))
        lines, line, mapping, baseline = [], [], {}, None
        for font, y, array, single in TEXT_OPERATOR.findall(stream):
            if font:
                mapping = maps[font.decode()]
            elif y:
                if y != baseline and line:
                    lines.append("".join(line))
                    line = []
                baseline = y
            else:
                for codes in re.findall(rb"<([0-9a-fA-F]*)>", array) if array else [single]:
                    line.extend(
                        mapping.get(int(codes[i : i + 4], 16), "\ufffd")
                        for i in range(0, len(codes), 4)
                    )
        if line:
            lines.append("".join(line))
        pages.append("\n".join(lines))
    return pages


def flat(text: str) -> str:
    """Whitespace (including the no-break spaces of Swedish numbers) as single spaces."""
    return " ".join(text.split())


def pdf_metadata(data: bytes) -> dict[str, str]:
    """The document information dictionary's strings, and the catalog's /Lang."""
    objects = pdf_objects(data)
    info = next(body for body in objects.values() if b"/Producer" in body)
    catalog = next(body for body in objects.values() if re.search(rb"/Type\s*/Catalog", body))
    strings = re.findall(rb"/(\w+)\s*(\((?:[^)\\]|\\.)*\)|<[0-9a-fA-F]*>)", info + catalog)
    return {key.decode(): _pdf_string(value) for key, value in strings}


def _pdf_string(value: bytes) -> str:
    if value.startswith(b"<"):
        raw = bytes.fromhex(value[1:-1].decode())
        return raw[2:].decode("utf-16-be") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    return re.sub(rb"\\([()\\])", rb"\1", value[1:-1]).decode("latin-1")


# --- Fixtures -------------------------------------------------------------------------


@pytest.fixture
def templates(settings):
    """Templates for one test, beside the project's own: ``templates[name] = source``."""
    sources: dict[str, str] = {}
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", sources),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    return sources


@pytest.fixture
def letter(templates):
    """A letter extending pdf/base.html whose content is the given template source."""

    def make(content: str) -> str:
        templates["pdf/test_letter.html"] = (
            '{% extends "pdf/base.html" %}{% load static %}'
            f"{{% block content %}}{content}{{% endblock %}}"
        )
        return "pdf/test_letter.html"

    return make


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks the fetcher for; the letter stylesheet is loaded afresh."""
    urls: list[str] = []
    fetcher_class = pdf._fetcher_class()
    original = fetcher_class.fetch

    def recording(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_class, "fetch", recording)
    pdf._forget_letter_stylesheet()
    return urls


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve a name or open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access while rendering a PDF")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


# --- render_pdf -----------------------------------------------------------------------


def test_returns_a_pdf_whose_text_comes_back_with_swedish_letters(letter):
    template = letter("<p>{{ greeting }}</p>")

    data = render_pdf(
        template,
        {
            "document_title": "Beslut om ekonomiskt bistånd",
            "greeting": "Räksmörgås på ön – ÅÄÖ åäö é",
            "recipient_lines": ["Åsa Öberg", "Ängsvägen 3", "123 45 Älvby"],
        },
    )

    assert isinstance(data, bytes)
    assert data.startswith(b"%PDF-")
    [page] = pdf_pages_text(data)
    assert "Räksmörgås på ön – ÅÄÖ åäö é" in page
    assert "Beslut om ekonomiskt bistånd" in page
    assert "Åsa Öberg\nÄngsvägen 3\n123 45 Älvby" in page
    assert "Exempelby kommun" in page  # the municipality, from settings
    assert "\ufffd" not in page  # every glyph maps back to a character


def test_metadata_title_author_and_language(letter, settings):
    settings.VAGEN_MUNICIPALITY_NAME = "Älvby kommun"
    template = letter("<p>Innehåll</p>")

    metadata = pdf_metadata(render_pdf(template, {"document_title": "Beräkning för maj"}))

    assert metadata["Title"] == "Beräkning för maj"
    assert metadata["Author"] == "Älvby kommun"
    assert metadata["Lang"] == "sv"


def test_fonts_and_stylesheet_are_the_projects_own_static_files(letter, fetched):
    data = render_pdf(letter("<p><strong>Fet</strong> och normal</p>"), {"document_title": "T"})

    assert sorted(fetched) == [
        STATIC_PREFIX + "css/letter.css",
        STATIC_PREFIX + "fonts/DejaVuSans-Bold.ttf",
        STATIC_PREFIX + "fonts/DejaVuSans.ttf",
        # The language notices' scripts (FL 13 §): Arabic/Persian/Dari, Tigrinya.
        STATIC_PREFIX + "fonts/NotoNaskhArabic-Bold.ttf",
        STATIC_PREFIX + "fonts/NotoNaskhArabic-Regular.ttf",
        STATIC_PREFIX + "fonts/NotoSansEthiopic-Bold.ttf",
        STATIC_PREFIX + "fonts/NotoSansEthiopic-Regular.ttf",
    ]
    # Both faces are embedded under the @font-face family, not a system fallback.
    base_fonts = set(
        re.findall(rb"/BaseFont /[A-Z]{6}\+([\w-]+)", b"".join(pdf_objects(data).values()))
    )
    assert base_fonts == {b"Vagen-Letter", b"Vagen-Letter-Bold"}


def test_the_letter_stylesheet_is_parsed_once_per_thread(letter, fetched):
    template = letter("<p>Hej</p>")
    render_pdf(template, {"document_title": "Första"})
    first = list(fetched)

    render_pdf(template, {"document_title": "Andra"})

    assert fetched == first  # nothing fetched again


def test_user_text_is_escaped_and_fetches_nothing(letter, fetched, no_network):
    hostile = '<script>alert("x")</script><img src=http://evil.example/x.png>'
    template = letter("<p>{{ note }}</p>")
    context = {"document_title": hostile, "note": hostile, "recipient_lines": [hostile]}

    data = render_pdf(template, context)

    html = render_to_string(template, {**context, "municipality_name": "X"})
    assert "&lt;img src=http://evil.example/x.png&gt;" in html
    assert "<img" not in html
    squeezed = "".join(pdf_pages_text(data)[0].split())  # lines wrap inside the URL
    assert squeezed.count("".join(hostile.split())) == 3  # title, address, text: shown as text
    assert all(url.startswith(STATIC_PREFIX) for url in fetched)
    assert pdf_metadata(data)["Title"] == hostile


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="http://evil.example/x.png">',
        '<img src="https://evil.example/x.png?personnummer=191212121212">',
        '<img src="//evil.example/x.png">',
        '<img src="file:///etc/passwd">',
        '<img src="/etc/passwd">',
        "<img src=\"{% static '../../../etc/passwd' %}\">",
        '<div style="background: url(https://evil.example/bg.png)">x</div>',
        "<style>@import url(https://evil.example/x.css);</style>",
        '<link rel="stylesheet" href="https://evil.example/x.css">',
    ],
)
def test_a_template_asking_for_anything_else_fails_without_network(letter, no_network, markup):
    template = letter(f"<p>Text</p>{markup}")

    with pytest.raises(PdfResourceError) as refused:
        render_pdf(template, {"document_title": "T"})

    # The message never repeats the URL (it could carry personal data).
    assert "evil" not in str(refused.value)
    assert "passwd" not in str(refused.value)
    assert "191212121212" not in str(refused.value)


def test_static_and_data_urls_in_templates_are_loaded(letter, fetched, no_network):
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "2mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    template = letter(
        f'<p>Logga:</p><img src="{{% static \'img/favicon.svg\' %}}" alt=""><img src="{pixel}">'
    )

    data = render_pdf(template, {"document_title": "T"})

    assert data.startswith(b"%PDF-")
    assert STATIC_PREFIX + "img/favicon.svg" in fetched
    assert pixel in fetched


def test_a_long_document_has_numbered_pages(letter):
    template = letter("{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}")
    paragraphs = [
        f"Stycke {i}: vi har prövat din ansökan om bistånd till hyra." for i in range(150)
    ]

    pages = pdf_pages_text(
        render_pdf(template, {"document_title": "Lång", "paragraphs": paragraphs})
    )

    count = len(pages)
    assert count > 1
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {count}" in flat(text)
    assert "Stycke 149" in pages[-1]
    # Continuation pages carry the title above the text (page one has it as its heading).
    assert all("Lång" in page.splitlines() for page in pages[1:])


def test_renders_in_swedish_while_english_is_active(letter):
    template = letter(
        "<p>{{ letter_date|date:'l' }} {{ True|yesno }} {{ amount|floatformat:2 }}</p>"
    )

    with translation.override("en"):
        data = render_pdf(
            template,
            {"document_title": "T", "letter_date": date(2025, 3, 3), "amount": 1234.5},
        )
        assert translation.get_language() == "en"  # put back afterwards

    text = flat(pdf_pages_text(data)[0])
    assert "Datum: 3 mars 2025" in text
    assert "måndag ja 1234,50" in text
    assert "March" not in text


def test_letter_date_defaults_to_today_in_stockholm(letter):
    text = flat(pdf_pages_text(render_pdf(letter("<p>x</p>"), {"document_title": "T"}))[0])

    with translation.override("sv"):
        today = dateformat.format(timezone.localdate(), "j F Y")
    assert f"Datum: {today}" in text


def test_works_from_collected_static_files_with_hashed_names(letter, settings, tmp_path, fetched):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    data = render_pdf(letter("<p><strong>Åter</strong>kommande</p>"), {"document_title": "T"})

    assert "Återkommande" in pdf_pages_text(data)[0]
    hashed = re.compile(
        re.escape(STATIC_PREFIX)
        + r"(css/letter|fonts/(DejaVuSans|NotoNaskhArabic|NotoSansEthiopic)(-\w+)?)"
        + r"\.\w{12}\.(css|ttf)"
    )
    assert len(fetched) == 7  # the stylesheet, DejaVu ×2, Noto Naskh Arabic ×2, Ethiopic ×2
    assert all(hashed.fullmatch(url) for url in fetched), fetched


# --- The URL fetcher ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example/x.png",
        "https://evil.example/x.png",
        "https://vagen-pdf.invalid/media/letters/1.pdf",  # ours, but not a static file
        "http://vagen-pdf.invalid/static/css/letter.css",  # not the document origin
        "file:///etc/passwd",
        "ftp://evil.example/x",
        STATIC_PREFIX + "../../etc/passwd",
        STATIC_PREFIX + "css/../../../etc/passwd",
        STATIC_PREFIX + "%2e%2e/%2e%2e/etc/passwd",
        STATIC_PREFIX + "css%2f..%2f..%2f..%2fetc/passwd",
        STATIC_PREFIX + "..%5c..%5cetc%5cpasswd",
        STATIC_PREFIX + "/etc/passwd",
        STATIC_PREFIX + "css/letter.css%00.png",
        STATIC_PREFIX + "css/missing.css",
        STATIC_PREFIX + "file:/etc/passwd",
        STATIC_PREFIX + "css/letter.css/../../../../etc/passwd?x=1",
        STATIC_PREFIX,
    ],
)
def test_fetcher_refuses_everything_but_static_files(url, no_network):
    with pytest.raises(PdfResourceError):
        static_url_fetcher().fetch(url)


def test_fetcher_refuses_file_urls_even_into_the_static_folders(no_network):
    # Static files are addressed by their static URL only; file: URLs are never read.
    with pytest.raises(PdfResourceError):
        static_url_fetcher().fetch(Path(finders.find("css/letter.css")).as_uri())


def test_fetcher_serves_static_files_and_data_urls(no_network):
    fetcher = static_url_fetcher()

    stylesheet = fetcher.fetch(static_document_url("css/letter.css"))
    font = fetcher.fetch(STATIC_PREFIX + "fonts/DejaVuSans.ttf?v=2")  # a query is ignored
    inline = fetcher.fetch("data:text/plain;charset=utf-8,h%C3%A4lsning")

    assert stylesheet.content_type == "text/css"
    assert b"@font-face" in stylesheet.read()
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    assert inline.read() == "hälsning".encode()
