"""Vietnamese text helpers and sentence splitting."""

from kg.stages.segment import split_sentences
from kg.text import loose_key, match_key, slugify, unaccent, unify_tones


def test_tone_placement_is_unified():
    assert unify_tones("Thanh Hoá") == unify_tones("Thanh Hóa") == "Thanh Hóa"
    assert match_key("hoà bình") == match_key("Hòa Bình")
    assert match_key("Thuỷ") == match_key("thủy")
    assert unify_tones("Hoàng Quốc Việt") == "Hoàng Quốc Việt"  # closed syllables keep their place


def test_unaccented_forms():
    assert unaccent("Quỳnh Lưu") == "Quynh Luu"
    assert unaccent("Đắk Lắk") == "Dak Lak"
    assert loose_key("UBND huyện Quỳnh Lưu") == "ubnd huyen quynh luu"
    assert slugify("Sở Lao động - Thương binh và Xã hội") == "so-lao-dong-thuong-binh-va-xa-hoi"


def split(text):
    return [text[a:b] for a, b in split_sentences(text, 0, len(text))]


def test_sentences_split_at_ends_only():
    text = ("(Baonghean.vn) - Sáng 2/7, UBND huyện tổ chức gặp mặt. Có trên 3.000 lượt người, chiếm 62%. "
            "TP. Vinh đón đoàn của TS. Nguyễn Văn An. “Chúng tôi sẽ làm.” Ông A nói!")
    assert split(text) == [
        "(Baonghean.vn) - Sáng 2/7, UBND huyện tổ chức gặp mặt.",
        "Có trên 3.000 lượt người, chiếm 62%.",
        "TP. Vinh đón đoàn của TS. Nguyễn Văn An.",
        "“Chúng tôi sẽ làm.”",
        "Ông A nói!",
    ]
