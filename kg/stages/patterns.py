"""Regular-expression building blocks for Vietnamese names."""

from __future__ import annotations

import re

UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
# A capitalised syllable ("Quỳnh"), or an all-capitals token ("XI", "II").
CAP = rf"[{UPPER}][{LOWER}{UPPER}]*"
# A sequence of capitalised syllables, possibly ending in a number ("Quỳnh Lưu 1", "Phường 5").
CAPSEQ = rf"{CAP}(?:[ ]+{CAP})*(?:[ ]+\d+)?"

def alternation(forms) -> str:
    """A regex alternation of dictionary forms, longest first (so "Phó Chủ tịch" wins over "Chủ tịch")."""
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def words_pattern(forms) -> re.Pattern:
    """Any of the dictionary `forms` as whole words, in any case, the longest that fits."""
    return re.compile(rf"(?i)(?<![\w])(?:{alternation(forms)})(?![\w])")


PLACE_TYPES = {
    # type word as written -> (canonical type word, level)
    "tỉnh": ("tỉnh", "province"),
    "thành phố": ("thành phố", None),  # a province-level city or a district-level one
    "tp": ("thành phố", None),
    "tp.": ("thành phố", None),
    "huyện": ("huyện", "district"),
    "quận": ("quận", "district"),
    "thị xã": ("thị xã", "district"),
    "tx": ("thị xã", "district"),
    "tx.": ("thị xã", "district"),
    "xã": ("xã", "commune"),
    "phường": ("phường", "commune"),
    "thị trấn": ("thị trấn", "commune"),
    "tt": ("thị trấn", "commune"),
    "tt.": ("thị trấn", "commune"),
    "nước": ("nước", "country"),
}
_TYPE_ALT = "|".join(sorted((re.escape(k) for k in PLACE_TYPES), key=len, reverse=True))
# "huyện Quỳnh Lưu", "TP. Vinh", "Thị xã Cửa Lò"; the type word may be capitalised (not inside an
# abbreviation: "Bộ TT&TT Phan Tâm" has no "TT Phan", thị trấn Phan; nor "Sở VH-TT TP Đà Nẵng" a "TT TP").
PLACE_NAME = rf"{CAP}(?:(?:[ ]+|[ ]?[-–][ ]?){CAP})*(?:[ ]+\d+)?"
PLACE_RE = re.compile(rf"(?<![\w.&/-])((?i:{_TYPE_ALT}))[ ]*(?<=[ .])({PLACE_NAME})")
# A bare level word with no name after it: "huyện", "tỉnh" (resolved to the home territory).
BARE_LEVEL_RE = re.compile(rf"(?<![\w])((?i:tỉnh|huyện|xã|thị xã|thành phố|quận|phường|thị trấn)|TP\.?|TX\.?)(?![ ]+{CAP})(?!\w)(?![ ]+(?:hội|viên|đội|giao|táo|lộ|ủy|uỷ)\b)")

# Capitalised words that open a sentence and are no one's given name (unlike "Năm", "Hiện", "Anh"):
# a name stops before them ("Chu Huyền Theo Đời ...": a name, then a sentence that lost its full stop)
OPENERS = ("Theo", "Mọi", "Ông", "Bà", "Các", "Những", "Trong", "Tại", "Khi", "Sau", "Với", "Để", "Nhưng", "Tuy",
           "Ngoài", "Về", "Cũng", "Đây", "Đó", "Này", "Nếu", "Vì", "Của", "Và", "Ngày", "Tháng")
GIVEN = rf"(?!(?:{'|'.join(OPENERS)})(?![{LOWER}{UPPER}])){CAP}"

HONORIFIC_RE = re.compile(
    rf"(?<![\w])(ông|bà|Ông|Bà|đồng chí|Đồng chí|đ/c|Đ/c|anh|chị|Anh|Chị|cụ|Cụ|em|Em|cô|Cô|thầy|Thầy|giáo sư|Giáo sư|GS\.|GS|PGS\.|PGS|TS|ThS|nhà nghiên cứu|Nhà nghiên cứu|nhà sử học|Thượng tọa|thượng tọa|Hòa thượng|hòa thượng|Đại đức|đại đức|Ni sư|ni sư|Mẹ|mẹ|Mẹ Việt Nam anh hùng|Anh hùng|anh hùng|nghệ nhân|Nghệ nhân|nghệ sĩ|Nghệ sĩ|NSND|NSƯT|nhà thơ|nhà văn|Thạc sĩ|thạc sĩ|kỹ sư|Kỹ sư|ngài|Ngài|thượng tá|Thượng tá|đại tá|Đại tá|trung tá|Trung tá|thiếu tướng|Thiếu tướng|trung tướng|Trung tướng|thiếu tá|Thiếu tá|TS\.|ThS\.|PGS\.TS|PGS\.TS\.|GS\.TS|GS\.TS\.|Tiến sĩ|tiến sĩ|nhà báo|luật sư|bác sĩ|Bác sĩ)[ ]+({CAP}(?:[ ]+{GIVEN}){{0,3}})"
)
PERSON_NAME = rf"{CAP}(?:[ ]+{GIVEN}){{1,3}}"

SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Vi Đinh Trịnh Lâm Trương "
    "Tạ Lương Đào Hà Cao Lưu Tô Thái Châu Chu Khổng Lò Hứa Kiều Mạc Tăng Quách Thân Nông Triệu "
    "Vương Giang Âu Khúc Lại Phùng Tống Tôn Hầu Bế Lềnh Vàng Sùng Giàng Thào Điểu "
    "Ksor Đàm Lã Diệp Quan Tiêu Doãn Khuất Mẫn Bạch Cù Nghiêm Vòng Hoàng"
).split()
SURNAME_NAME_RE = re.compile(rf"(?<![\w])(?:{'|'.join(sorted(set(SURNAMES), key=len, reverse=True))})(?:[ ]+{GIVEN}){{1,3}}(?![\w])")
