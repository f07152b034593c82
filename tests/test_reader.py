"""Reading articles: the seed format, JSON, HTML, and every kind of bad file."""

from __future__ import annotations

import json
import unicodedata

from kg.reader import ReadError, article_key, iter_files, read_path
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_5cc79a5ea2a831f7.txt"


def read_one(path):
    items = list(read_path(path))
    assert len(items) == 1
    return items[0]


def test_seed_format(tmp_path):
    art = read_one(SEED)
    assert art.title == "Quỳnh Lưu: Gặp mặt Ban VSTBPN tỉnh Xiêng Khoảng (CHDCND Lào)"
    assert art.text.startswith(art.title + "\n\n(Baonghean.vn) - Sáng 2/7")
    assert art.dateline == "Baonghean.vn"
    assert art.author == "Thanh Toàn"
    captions = [art.text[a:b] for a, b in art.captions]
    assert "Quang cảnh hội nghị" in captions
    assert unicodedata.is_normalized("NFC", art.text)


def test_text_is_normalised_to_nfc(tmp_path):
    f = tmp_path / "nfd.txt"
    f.write_text(unicodedata.normalize("NFD", "Quỳnh Lưu họp\n\nUBND huyện Quỳnh Lưu họp bàn."), encoding="utf-8")
    art = read_one(f)
    assert art.title == "Quỳnh Lưu họp" and unicodedata.is_normalized("NFC", art.text)


def test_json_with_metadata(tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps({"title": "Tiêu đề", "body": "Đoạn một.\n\nĐoạn hai.", "url": "https://baonghean.vn/a.html",
                             "published": "2014-07-03T08:00:00+07:00", "source": "baonghean.vn", "author": "Thanh Toàn"},
                            ensure_ascii=False), encoding="utf-8")
    art = read_one(f)
    assert (art.title, art.url, art.published[:10], art.source, art.author) == (
        "Tiêu đề", "https://baonghean.vn/a.html", "2014-07-03", "baonghean.vn", "Thanh Toàn")
    assert art.year == 2014
    assert article_key(art) == article_key(read_one(f))


def test_jsonl_bad_line_is_reported_and_the_rest_read(tmp_path):
    f = tmp_path / "many.jsonl"
    f.write_text('{"title": "Một", "body": "Thân bài một."}\n{not json\n{"title": "Ba", "body": "Thân bài ba."}\n'
                 '{"title": "", "body": "x"}\n', encoding="utf-8")
    items = list(read_path(f))
    assert [getattr(i, "title", None) for i in items] == ["Một", None, "Ba", None]
    errors = [str(i) for i in items if isinstance(i, ReadError)]
    assert errors[0].startswith(f"{f}:2: not JSON") and errors[1] == f"{f}:4: no title"


def test_html(tmp_path):
    f = tmp_path / "a.html"
    f.write_text("<html><head><title>Trang</title><script>alert(1)</script></head><body><h1>Tiêu đề bài</h1>"
                 "<p>Đoạn <b>một</b>.</p><p>Đoạn hai.</p></body></html>", encoding="utf-8")
    art = read_one(f)
    assert art.title == "Tiêu đề bài"
    assert "Đoạn một." in art.text and "alert" not in art.text


def test_bad_files_are_reported_with_name_and_reason(tmp_path):
    cases = {
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b"  \n\n ", "empty file"),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
        "latin1.txt": ("Tiêu đề\n\nThân bài".encode("utf-16-le")[:0] + "Quảng\n\ncafé".encode("cp1258", "replace")
                       + b"\xe9\xff", "not UTF-8"),
        "title-only.txt": ("Chỉ có tiêu đề".encode(), "no body"),
        "broken.json": (b'{"title": "x", "body": ', "not JSON"),
        "list.json": (b'["a", "b"]', "expected a JSON object"),
        "nobody.json": ('{"title": "Tiêu đề"}'.encode(), "no body"),
        "nohtml.html": (b"<html><body><p>no title</p></body></html>", "without <title>"),
    }
    for name, (data, reason) in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        items = list(read_path(f))
        assert items and all(isinstance(i, ReadError) for i in items), name
        assert str(f) in str(items[0]) and reason in items[0].reason, (name, str(items[0]))


def test_missing_path_and_folder_walk(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("B\n\nThân bài.", encoding="utf-8")
    (tmp_path / "a.json").write_text('{"title": "A", "body": "x"}', encoding="utf-8")
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    found = list(iter_files([tmp_path, tmp_path / "nope.txt"]))
    assert [p.name for p in found[:-1]] == ["a.json", "b.txt"]
    assert isinstance(found[-1], ReadError) and "no such file" in found[-1].reason
