"""Meetings: a sentence that reports one (hội nghị, gặp mặt, làm việc, tiếp, thăm, lễ ...), with
its date, organisers, attendees and place.

Organisers are the organisations named before the event word ("UBND huyện ... phối hợp với Ban ...
tổ chức gặp mặt"); attendees are those after "với"/"cùng", the people and bodies of a "Tham dự có ..."
sentence, those honoured at it, and the people the report names until the next meeting. A working
visit is the other way round: the body visited ("làm việc với Y", "tại trụ sở của Y") holds it and the
delegation attends. The place is the one named after "tại" (several communes: their district), else
the organiser's territory, else a place the sentence names. A later "Tại hội nghị" refers back to the
same meeting; a meeting spoken of (a resolution, a plan, a venue) or still to come is none.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right

from ..model import Doc, Meeting, Span
from ..pipeline import Resources, stage
from .patterns import words_pattern
from ..text import match_key

_EVENT_CACHE: dict[int, re.Pattern] = {}
_ANAPHORA = re.compile(r"(?i)(?:tại|trong|sau|qua|kết thúc|bế mạc|phát biểu tại|phát biểu trong)\s+(?:buổi\s+)?$")
_ATTEND = re.compile(r"(?i)^\s*(?:tham dự|dự|đến dự|cùng dự|về dự|tới dự)(?:\s+(?:hội nghị|buổi|lễ|chương trình|có|còn có))*\b|có sự tham dự của|với sự tham gia của|có sự tham gia của")
# "với UBND tỉnh", "cùng Sở Y tế", "với Ban biên tập báo Le Monde", "với lãnh đạo Công ty X"
_WITH = re.compile(r"\b(?i:với|cùng)\s+(?:[^\W\d]+\s+){0,3}$|\b(?i:và)\s+$")
# "tại xã Quỳnh Hoa và Tân Sơn": several places of one level: the meeting is in the unit holding them
_MORE_PLACES = re.compile(r"\s*(?:,|và)\s*(?:(?i:xã|phường|thị trấn|huyện|quận|thị xã)\s+)?[A-ZĐ]")
_AT = re.compile(r"(?i)\b(?:tại|ở)\s+$")
_OF = re.compile(r"(?i)\bcủa\s*$")
_HABITUAL = re.compile(r"(?i)(?:đồng thời|thường xuyên|tiếp tục|đã và đang|luôn)(?:\s+\S+){0,3}\s+$")
_SOURCE = re.compile(r"(?i)(?<!\w)theo\s+(?:báo\s+|đài\s+)?$")
_BY = re.compile(r"(?i)(?<!\w)do\s+$")
_HELD = re.compile(r"\s+(?:tổ chức|chủ trì|phối hợp tổ chức|đăng cai)\b")
VISITS = {"lam-viec", "tiep", "tham", "doi-thoai"}
# A working visit is held by the body visited: in "Đoàn X làm việc với Y" / "X thăm Y" / "tại trụ sở
# của Y, X có buổi làm việc" Y is the host (organizer) and X's delegation attends.
HOSTED = {"lam-viec", "tham"}
# bare "làm việc" is also "to work" ("được nhận vào làm việc tại các cơ quan"): a working session
# only when held with someone or visited ("làm việc với", "buổi làm việc", "đến làm việc")
_WORK = re.compile(r"(?i)^làm việc$")
_WORK_BEFORE = re.compile(r"(?i)(?:buổi|đến|tới|về|xuống|lên|đoàn|chuyến|thăm và|thăm,)\s+$")
_WORK_AFTER = re.compile(r"(?i)\s+với\b")
# a meeting spoken of, not reported: "thực hiện Nghị quyết hội nghị ĐBND", "Nghị quyết Đại hội Đảng bộ
# tỉnh", "Kế hoạch ... về tổ chức hội nghị ĐBND năm 2017"
_DOCUMENT_OF = re.compile(r"(?i)(?:nghị quyết|kết luận|văn kiện|tinh thần|về\s+(?:việc\s+)?tổ chức"
                          r"|trung tâm|cung|hội trường|phòng|khách sạn"  # (a venue: "tại Trung tâm Hội nghị tỉnh")
                          r"|việc|tình hình|trường hợp|hành vi|chào mừng|hướng tới|nhân dịp|dịp)\s+$")  # (a topic: "việc tặng quà")
# an event word that means something else before these words: "gắn biển số xanh" (a licence plate)
_NOT_THIS = {"gắn biển": re.compile(r"\s+(?:số|xanh|trắng|vàng|đỏ|giả|kiểm soát)\b"),
             "diễn đàn": re.compile(r"\s+(?:mạng|trực tuyến|online|internet|điện tử)\b")}  # (online forums)
# a meeting still to come is not reported as held: "sẽ khai mạc ngày 10/3", "dự kiến sẽ khởi công"
_PLANNED = re.compile(r"(?i)(?<!\w)(?:sẽ|dự kiến|sắp)(?!\w)(?:\s+\S+){0,2}\s+$")
_HOST_AT = re.compile(r"(?i)\btại\s+(?:trụ sở|văn phòng|cơ quan)?\s*(?:của\s+)?$")
# honours handed out at a ceremony: who receives them was there ("trao bằng khen cho Công ty A",
# "20 doanh nghiệp được tôn vinh", "Danh sách các tập thể được khen thưởng: ...")
_AWARD = re.compile(r"(?i)(?<!\w)(?:được\s+(?:tôn vinh|khen thưởng|trao tặng|trao|tặng|nhận)|tôn vinh|khen thưởng"
                    r"|trao\s+(?:tặng\s+)?(?:cúp|bằng khen|cờ|giấy khen|huân chương|huy chương|danh hiệu|giải|kỷ niệm chương)"
                    r"[^.;]{0,80}?\bcho|danh sách)(?!\w)")
_AT_ANY = re.compile(r"(?i)(?<!\w)(?:tại|ở|về)(?!\w)")


def event_pattern(res: Resources) -> re.Pattern:
    pat = _EVENT_CACHE.get(id(res.lexicon))
    if pat is None:
        forms = (f.lower() for c in res.lexicon.event_types.values() for f in c.forms)
        pat = _EVENT_CACHE[id(res.lexicon)] = words_pattern(forms)
    return pat


def _event_type(res: Resources, form: str) -> str:
    concept = res.lexicon.event_by_key.get(match_key(form))
    return concept.slug if concept else ""


def _by_sentence(doc: Doc, mentions: list) -> dict[int, list]:
    """Mentions grouped by the index of the sentence that holds them (one pass, not one per sentence)."""
    starts = [s.start for s in doc.sentences]
    out: dict[int, list] = {}
    for span, key in sorted(mentions, key=lambda x: x[0].start):
        i = bisect_right(starts, span.start) - 1
        if i >= 0 and _in(span, doc.sentences[i]):
            out.setdefault(i, []).append((span, key))
    return out


def _in(span: Span, sent: Span) -> bool:
    return sent.start <= span.start and span.end <= sent.end


def meeting_key(date: str, etype: str, organizers: list[str], doc: Doc, partners: list[str] = ()) -> str:
    """Date, type and organisers: the same meeting reported by two articles is one node. Without a
    full date the article and the partners met tell meetings apart."""
    if organizers and date and not date.startswith("--"):
        basis = "|".join(sorted(organizers))
    else:
        basis = "|".join([doc.key, *sorted(organizers), "with", *sorted(partners)])
    return f"{date.lstrip('-') or 'undated'}.{etype}.{hashlib.sha1(basis.encode()).hexdigest()[:10]}"


@stage(requires=("orgs", "people", "dates"), assigns=("meetings",))
def events(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    pat = event_pattern(res)
    title_end = len(doc.article.title)
    current: Meeting | None = None
    orgs_by_sent = _by_sentence(doc, doc.org_mentions)
    people_by_sent = _by_sentence(doc, doc.person_mentions)
    for idx, sent in enumerate(doc.sentences):
        if sent.start < title_end:
            continue  # the title repeats the lead
        sent_orgs = orgs_by_sent.get(idx, [])
        sent_people = people_by_sent.get(idx, [])
        if current is not None and _ATTEND.search(text[sent.start:sent.end]):
            for s, k in sent_people:
                if k not in current.attendees:
                    current.attendees.append(k)
            for s, k in sent_orgs:
                if k not in current.attendees and k not in current.organizers and not _part_of_post(doc, s):
                    current.attendees.append(k)
            continue
        if current is not None:
            _honoured(doc, current, text, sent, sent_orgs)
        m = _event_word(pat, text, sent)
        if not m:
            continue
        while m is not None and current is not None and _ANAPHORA.search(text, sent.start, m.start()):
            # "Cũng trong chuyến công tác, bà X đã làm việc với Y": the trip named again, a new session told
            m = _event_word(pat, text, Span(m.end(), sent.end, ""))
        if not m:
            continue
        # (a body named inside another's name is not an actor of its own: "Ban Thường vụ Huyện ủy X")
        sent_orgs = [(s, k) for s, k in sent_orgs if not any(o.start <= s.start and s.end <= o.end and o.end - o.start > s.end - s.start
                                                            for o, _ in sent_orgs)]
        # held "do X tổ chức" (by X): X, whoever else the sentence names first
        organizers = [k for s, k in sent_orgs if s.start >= m.end() and _BY.search(text, max(m.end(), s.start - 40), s.start)
                      and _HELD.match(text, s.end, sent.end)][:1] or \
            [k for s, k in sent_orgs if s.end <= m.start() and not _part_of_post(doc, s)
             and not _AT.search(text, max(0, s.start - 8), s.start)  # (not the venue: "tại Trung tâm Hội nghị tỉnh")
             and not _SOURCE.search(text, max(0, s.start - 10), s.start)]  # (nor the news it is told by: "Theo báo Tuổi trẻ")
        if not organizers:
            # "kỳ họp HĐND TP.HCM", "Hội nghị Ban Chấp hành ...", "ĐHĐCĐ thường niên 2017 của CTCP
            # Licogi 13": the body named right after the event word, or after its "của"
            organizers = [k for s, k in sent_orgs if 0 <= s.start - m.end() <= 2
                          or (0 < s.start - m.end() <= 40 and _OF.search(text[m.end():s.start]))][:1]
        if not organizers:
            # "đồng chí X – Chủ tịch UBND huyện ... trao tặng": the subject's body organises it
            organizers = [k for s, k in sent_orgs if s.end <= m.start()][:1]
        # a date of the meeting, not one it commemorates ("ngày 11/6/1948" in a 2017 report)
        date = next((d for d in doc.date_mentions if _in(d.span, sent) and d.marked
                     and not (d.year and doc.ref_year and d.year < doc.ref_year - 1)), None)
        attendees = _met_with(doc, text, m, sent_orgs + sent_people)
        etype = _event_type(res, m.group(0))
        if not organizers and date is None and (_HABITUAL.search(text, max(sent.start, m.start() - 40), m.start())
                                                or not (etype in HOSTED and [k for k in attendees if k in doc.entities
                                                                             and doc.entities[k].kind == "org"])):
            continue  # (a visit says whom it met: "bà X đã làm việc với Đại sứ quán Việt Nam"; but "tỉnh đã
            # và đang chỉ đạo ..., đồng thời làm việc với Công ty X" is a way of working, not a meeting)
        partners = attendees
        if etype in HOSTED:
            organizers, attendees = _hosts_and_guests(doc, text, m, sent_orgs, organizers, attendees)
            partners = organizers
        again = next((x for x in doc.meetings if etype in VISITS and partners and set(partners) <= set(x.organizers)
                      and (date is None or _same_date(date, x, doc))), None)
        if again is not None:
            current = again  # "Đoàn đã có các buổi làm việc với báo X": the session with X told before
            continue
        if current is not None and (date is None or _same_date(date, current, doc)):
            # A report names its meeting again and again; a new one comes with its own date, or is
            # a delegation's next working session with someone new ("... làm việc với báo L'Humanité").
            known = set(current.attendees) | set(current.organizers)
            if etype not in VISITS or not partners or set(partners) <= known:
                if organizers and not current.organizers:
                    # "Chiều 10/2, Thành ủy, HĐND, UBND TP Đà Nẵng đã tổ chức gặp mặt": who held it,
                    # told after the lead named the occasion
                    current.organizers = list(dict.fromkeys(organizers))
                    current.attendees = [a for a in current.attendees if a not in current.organizers]
                    if not current.location:
                        current.location = next(filter(None, (_territory(doc, k) for k in organizers)), "")
                continue
        for s, k in sent_people:
            if s.end <= m.start() and k not in attendees:
                attendees.append(k)
        location = _place_of(doc, res, text, m, sent, sent_orgs, organizers)
        if not location and current is not None and etype in VISITS and current.event_type in VISITS:
            location = current.location  # a delegation's next session on the same trip
        if location and location not in doc.entities:
            unit = res.gazetteer.get(location)
            if unit is not None:
                doc.linker.place_entity(unit, None)
        iso = date.iso(doc.ref_year) if date else ""
        earlier = next((x for x in doc.meetings if iso and x.date == iso and x.event_type == etype
                        and set(organizers) <= set(x.organizers) | set(x.attendees)), None)
        if earlier is not None:
            # the lead's meeting told again in the body, after a caption about another one
            earlier.attendees += [a for a in dict.fromkeys(attendees) if a not in earlier.attendees and a not in earlier.organizers]
            current = earlier
            continue
        key = meeting_key(iso, etype, organizers, doc, attendees)
        label_type = res.lexicon.event_types[etype].label if etype in res.lexicon.event_types else m.group(0)
        who = ", ".join(doc.entities[k].label for k in organizers[:2] if k in doc.entities)
        label = f"{label_type[:1].upper()}{label_type[1:]}" + (f" – {who}" if who else "") + (f" ({iso.lstrip('-')})" if iso else "")
        current = Meeting(key=key, event_type=etype, label=label, span=sent, date=iso,
                          date_span=date.span if date else None, organizers=list(dict.fromkeys(organizers)),
                          attendees=[a for a in dict.fromkeys(attendees) if a not in organizers], location=location)
        doc.meetings.append(current)
    _people_in_scope(doc)


def _met_with(doc: Doc, text: str, m, mentions) -> list[str]:
    """Those the sentence says the meeting was held with: "với UBND tỉnh", "cùng Sở Y tế và Sở Tài chính"."""
    out, last = [], None
    for s, k in sorted(mentions, key=lambda x: x[0].start):
        between = text[max(m.end(), s.start - 40):s.start]
        w = _WITH.search(between) if s.start >= m.end() else None
        if w and w.group(0).lower().startswith("và") and not (last and text[last:s.start].strip() == "và"):
            w = None  # "và" adds to the ones met ("với Sở A và Sở B"), not to any list ("gồm A, B và C")
        if w and "," not in between[w.start():] and not _part_of_post(doc, s):
            out.append(k)
            last = s.end
    return out


def _place_of(doc: Doc, res: Resources, text: str, m, sent: Span, sent_orgs, organizers: list[str]) -> str:
    """Where the meeting was held: the place named after "tại"/"ở", else the territory of the body that
    held it, else a place the sentence names after the event word."""
    for at in _AT_ANY.finditer(text, sent.start, sent.end):
        after = [(s, k) for s, k in doc.place_mentions if at.end() <= s.start <= at.end() + 80 and _in(s, sent)]
        if after:
            location = after[0][1]  # "tại Nghĩa trang liệt sỹ Quốc gia Vị Xuyên, huyện Vị Xuyên"
            if _several_places(doc, res, text, after[0], sent):
                location = _container(doc, res, location) or location
            return location
    for k in organizers:
        ent = doc.entities.get(k)
        if ent and ent.jurisdiction and ent.agency_type in ("ubnd", "hdnd", "cap-uy", "mttq"):
            return ent.jurisdiction
    if organizers and (territory := _territory(doc, organizers[0])):
        return territory
    # the place in the organiser's name as written ("Ban Thường vụ Huyện ủy Minh Hóa")
    held = [s for s, k in sent_orgs if k in organizers]
    named = next((k for s, k in doc.place_mentions if any(o.start <= s.start < o.end for o in held)), "")
    if named:
        return named
    # the place the reporting sentence names ("... đến kiểm tra công tác chuẩn bị ở Thái Bình"),
    # not one inside a body's name
    inside = [s for s, _ in sent_orgs]
    return next((k for s, k in doc.place_mentions if _in(s, sent) and s.start > m.start()
                 and not any(o.start <= s.start < o.end for o in inside)), "")


def _event_word(pat: re.Pattern, text: str, sent: Span):
    """The first word of the sentence that names a meeting (skipping "làm việc" meaning "to work")."""
    pos = sent.start
    while True:
        m = pat.search(text, pos, sent.end)
        if m is None:
            return m
        after = _NOT_THIS.get(m.group(0).lower())
        if _DOCUMENT_OF.search(text, max(sent.start, m.start() - 20), m.start()) or \
                _PLANNED.search(text, max(sent.start, m.start() - 30), m.start()) or (after and after.match(text, m.end(), sent.end)):
            pos = m.end()
            continue
        if not _WORK.match(m.group(0)):
            return m
        if _WORK_AFTER.match(text, m.end(), sent.end) or _WORK_BEFORE.search(text, max(sent.start, m.start() - 12), m.start()):
            return m
        pos = m.end()


def _hosts_and_guests(doc: Doc, text: str, m, sent_orgs, organizers: list[str], attendees: list[str]):
    """For a working visit: the bodies met ("với Y") or visited ("tại trụ sở của Y") hold it; the
    visiting delegation (the subject) and everyone else attend."""
    hosts = [k for s, k in sent_orgs if k in attendees]
    hosts += [k for s, k in sent_orgs if s.end <= m.start() and _HOST_AT.search(text, max(0, s.start - 30), s.start)]
    hosts = list(dict.fromkeys(hosts))
    guests = [k for k in organizers + attendees if k not in hosts]
    return hosts, guests


def _honoured(doc: Doc, meeting: Meeting, text: str, sent: Span, sent_orgs) -> None:
    """Bodies honoured in the sentence are the meeting's attendees."""
    award = _AWARD.search(text, sent.start, sent.end)
    if award is None:
        return
    people = [k for s, k in doc.person_mentions if _in(s, sent) and s.start >= award.start()]
    # honoured people bring their school or employer along in the sentence; those bodies were not
    # honoured themselves ("cháu Hồ Thị Lưu Trầm, ... lớp 10A7, trường THPT Quỳnh Lưu 1")
    bodies = [] if people else [k for s, k in sent_orgs if s.start >= award.start() and not _part_of_post(doc, s)]
    for k in people + bodies:
        if k not in meeting.organizers and k not in meeting.attendees:
            meeting.attendees.append(k)


def _territory(doc: Doc, key: str, depth: int = 3) -> str:
    """The place a body governs, or the one its parent body governs ("Ban Thường vụ Huyện ủy X")."""
    ent = doc.entities.get(key)
    while ent is not None and depth > 0:
        if ent.jurisdiction:
            return ent.jurisdiction
        ent, depth = doc.entities.get(ent.parent), depth - 1
    return ""


def _several_places(doc: Doc, res: Resources, text: str, first, sent: Span) -> bool:
    """"tại xã Quỳnh Hoa và Tân Sơn", "tại các xã A, B": more places of the same level follow the
    first (but not its own district: "tại xã A, huyện B")."""
    more = _MORE_PLACES.match(text, first[0].end, sent.end)
    if more is None:
        return False
    nxt = next((k for s, k in doc.place_mentions if s.start >= first[0].end and s.start < more.end()
                and s.end > more.end() - 1), None)
    if nxt is None:
        return "và" in more.group(0)
    level = lambda k: getattr(res.gazetteer.get(k), "level", None) or getattr(doc.entities.get(k), "cls", None)  # noqa: E731
    return nxt != first[1] and level(nxt) == level(first[1])


def _container(doc: Doc, res: Resources, key: str) -> str:
    ent = doc.entities.get(key)
    if ent is not None and ent.parent:
        return ent.parent
    unit = res.gazetteer.get(key)
    return unit.parent if unit is not None else ""


def _people_in_scope(doc: Doc) -> None:
    """The people a meeting report names after the meeting is introduced — those who spoke,
    chaired, attended — until the next meeting begins, are its attendees."""
    starts = [m.span.start for m in doc.meetings] + [len(doc.article.text) + 1]
    for m, end in zip(doc.meetings, starts[1:]):
        for span, key in doc.person_mentions:
            if not doc.entities[key].extra.get("present"):
                continue  # a poet born in 1822 or a king is named, not present
            if m.span.start <= span.start < end and key not in m.attendees and key not in m.organizers:
                m.attendees.append(key)


def _same_date(date, meeting: Meeting, doc: Doc) -> bool:
    return date.iso(doc.ref_year) == meeting.date


def _part_of_post(doc: Doc, span: Span) -> bool:
    """An organisation named only as part of a person's post ("ông X – PGĐ Sở ...")."""
    return any(m.span and m.span.start <= span.start and span.end <= m.span.end for m in doc.memberships)
