"""The 2C résumé (Sơ yếu lý lịch cán bộ, công chức, Mẫu 2C-BNV/2008) as a printable PDF.

Laid out like the official form: national motto, photo box, numbered fields 1)–32), the
training and work-history tables, family relations and the signature block. Fields the system
does not keep are printed as dotted lines to fill by hand, as on the paper form. Text is set in
the vendored DejaVu Serif (canbo/static/fonts), embedded in the file, so Vietnamese diacritics
print the same everywhere.
"""

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from canbo.org.models import Unit
from canbo.people import catalogues as c
from canbo.people.selectors import relatives_of, work_history

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts" / "dejavu-2.37.3"
FONT = "CanboSerif"
FORM_CODE = "Mẫu 2C-BNV/2008"
DOTS = "…" * 9
SHORT_DOTS = "…" * 2
BLANK = "&nbsp;"


@lru_cache(maxsize=1)
def register_fonts() -> str:
    from reportlab.lib.fonts import addMapping

    faces = {
        FONT: "DejaVuSerif.ttf",
        f"{FONT}-Bold": "DejaVuSerif-Bold.ttf",
        f"{FONT}-Italic": "DejaVuSerif-Italic.ttf",
        f"{FONT}-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    }
    for name, filename in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, f"{FONT}-Bold")
    addMapping(FONT, 0, 1, f"{FONT}-Italic")
    addMapping(FONT, 1, 1, f"{FONT}-BoldItalic")
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=14.5, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11.5),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "center_bold": ParagraphStyle(
            "center_bold", parent=base, alignment=TA_CENTER, fontName=f"{FONT}-Bold"
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            alignment=TA_CENTER,
            fontName=f"{FONT}-Bold",
            fontSize=14,
            leading=19,
        ),
        "section": ParagraphStyle(
            "section",
            parent=base,
            alignment=TA_CENTER,
            fontName=f"{FONT}-Bold",
            spaceBefore=8,
            spaceAfter=4,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=base,
            fontSize=9,
            leading=11,
            alignment=TA_CENTER,
            fontName=f"{FONT}-Bold",
        ),
        "motto": ParagraphStyle("motto", parent=base, alignment=TA_CENTER, fontSize=10, leading=14),
        "code": ParagraphStyle(
            "code", parent=base, alignment=2, fontName=f"{FONT}-Bold", fontSize=10
        ),
    }


def _t(value) -> str:
    """Text for a paragraph: escaped, or dots when the form field is empty."""
    text = str(value).strip() if value not in (None, "") else ""
    return escape(text) if text else DOTS


def _date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else DOTS


def _month(day: dt.date | None) -> str:
    return f"{day:%m/%Y}" if day else "nay"


def _dotted_line(width: float, style: ParagraphStyle) -> Paragraph:
    """A line of dots as wide as the text column, to write on by hand."""
    dots = int(0.96 * width / pdfmetrics.stringWidth(".", style.fontName, style.fontSize))
    return Paragraph("." * dots, style)


def _field(number: str, label: str, value: str) -> str:
    return f"{number} {escape(label)}: <b>{value}</b>"


def _area(area) -> str:
    return _t(area.full_name if area is not None else "")


def _table(rows, widths, styles, header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#f2f2f2")),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{FORM_CODE} – Trang {doc.page}")
    canvas.restoreState()


def resume_pdf(person, *, printed_on: dt.date) -> bytes:
    """The PDF of `person` (loaded with `canbo.people.selectors.person_for_resume`)."""
    register_fonts()
    s = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"Sơ yếu lý lịch – {person.full_name}",
        author="canbo",
        subject=FORM_CODE,
        creator="canbo",
    )
    width = A4[0] - doc.leftMargin - doc.rightMargin
    history = sorted(work_history(person), key=lambda a: (a.start_date, a.id))
    current = [a for a in history if a.is_current_on(printed_on)]
    degrees = list(person.degrees.all())
    story = []

    # Header: managing and employing bodies beside the national motto; the form's code above.
    # The body above the record unit manages the record (its parent in the tree).
    managing = (
        Unit.objects.filter(path=person.unit.path[: -Unit.steplen]).first()
        if person.unit.depth > 1
        else None
    )
    story.append(Paragraph(FORM_CODE, s["code"]))
    left = [
        Paragraph(
            _field(
                "",
                "Cơ quan, đơn vị có thẩm quyền quản lý CBCC",
                _t(managing.name if managing else ""),
            ),
            s["small"],
        ),
        Paragraph(_field("", "Cơ quan, đơn vị sử dụng CBCC", _t(person.unit.name)), s["small"]),
        Paragraph(_field("", "Số hiệu cán bộ, công chức", DOTS), s["small"]),
    ]
    right = [
        Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", s["motto"]),
        Paragraph("<b><u>Độc lập - Tự do - Hạnh phúc</u></b>", s["motto"]),
    ]
    header = Table([[left, right]], colWidths=[width * 0.44, width * 0.56])
    header.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [header, Spacer(1, 6 * mm)]

    # Photo box beside the title and the first fields.
    sex = person.get_sex_display()
    birth = person.birth_date
    if person.birth_date_precision == c.DatePrecision.YEAR:
        born = f"{DOTS} tháng {DOTS} năm {birth:%Y}"
    elif person.birth_date_precision == c.DatePrecision.MONTH:
        born = f"{DOTS} tháng {birth:%m} năm {birth:%Y}"
    else:
        born = f"{birth:%d} tháng {birth:%m} năm {birth:%Y}"
    photo = Table(
        [[Paragraph("Ảnh màu<br/>(4 x 6 cm)", s["center"])]],
        colWidths=[32 * mm],
        rowHeights=[44 * mm],
    )
    photo.setStyle(
        TableStyle(
            [("BOX", (0, 0), (-1, -1), 0.8, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        )
    )
    first = [
        Paragraph("SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC", s["title"]),
        Spacer(1, 3 * mm),
        Paragraph(
            _field("1)", "Họ và tên khai sinh (viết chữ in hoa)", _t(person.full_name.upper())),
            s["base"],
        ),
        Paragraph(_field("2)", "Tên gọi khác", _t(person.other_names)), s["base"]),
        Paragraph(
            f"3) Sinh ngày: <b>{born}</b>, Giới tính (nam, nữ): <b>{escape(sex)}</b>", s["base"]
        ),
        Paragraph(_field("4)", "Nơi sinh", _area(person.birthplace)), s["base"]),
        Paragraph(_field("5)", "Quê quán", _area(person.hometown)), s["base"]),
    ]
    top = Table([[photo, first]], colWidths=[38 * mm, width - 38 * mm])
    top.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    story += [top, Spacer(1, 2 * mm)]

    ethnicity = dict(c.ETHNIC_GROUPS).get(person.ethnicity, person.ethnicity)
    religion = dict(c.RELIGIONS).get(person.religion, person.religion)
    residence = ", ".join(
        p
        for p in (person.residence_detail, person.residence.full_name if person.residence else "")
        if p
    )
    posts = "; ".join(f"{a.position.title.name} – {a.position.unit.name}" for a in current)
    highest = degrees[0] if degrees else None
    highest_text = f"{highest.get_level_display()} {highest.field}" if highest else ""
    if person.academic_title:
        highest_text += f"; học hàm: {person.get_academic_title_display()}"
    party = (
        f"16) Ngày vào Đảng Cộng sản Việt Nam: <b>{_date(person.party_joined_on)}</b>, "
        f"Ngày chính thức: <b>{_date(person.party_official_on)}</b>"
    )
    if person.party_card_number:
        party += f", Số thẻ đảng viên: <b>{escape(person.party_card_number)}</b>"
    lines = [
        f"6) Dân tộc: <b>{_t(ethnicity)}</b>, 7) Tôn giáo: <b>{_t(religion)}</b>",
        _field("8)", "Nơi đăng ký hộ khẩu thường trú", _t(residence)),
        _field("9)", "Nơi ở hiện nay", DOTS),
        _field("10)", "Nghề nghiệp khi được tuyển dụng", DOTS),
        f"11) Ngày tuyển dụng: {DOTS}, Cơ quan tuyển dụng: {DOTS}",
        _field("12)", "Chức vụ (chức danh) hiện tại", _t(posts)),
        _field("13)", "Công việc chính được giao", DOTS),
        f"14) Ngạch công chức (viên chức): {DOTS} (đối tượng: <b>{escape(person.get_category_display())}</b>), "
        f"Mã ngạch: {DOTS}, Bậc lương: {DOTS}, Hệ số: {DOTS}",
        _field("15.1-", "Trình độ giáo dục phổ thông", _t(person.get_general_education_display())),
        _field("15.2-", "Trình độ chuyên môn cao nhất", _t(highest_text)),
        f"15.3- Lý luận chính trị: <b>{_t(person.get_political_theory_display())}</b>, "
        f"15.4- Quản lý nhà nước: <b>{_t(person.get_state_management_display())}</b>",
        f"15.5- Ngoại ngữ: <b>{_t(person.foreign_language)}</b>, 15.6- Tin học: <b>{_t(person.it_skill)}</b>",
        party,
        _field("17)", "Ngày tham gia tổ chức chính trị - xã hội", DOTS),
        f"18) Ngày nhập ngũ: {DOTS}, Ngày xuất ngũ: {DOTS}, Quân hàm cao nhất: {DOTS}",
        _field("19)", "Danh hiệu được phong tặng cao nhất", DOTS),
        _field("20)", "Sở trường công tác", DOTS),
        f"21) Khen thưởng: {DOTS}, 22) Kỷ luật: {DOTS}",
        f"23) Tình trạng sức khỏe: {DOTS}, Chiều cao: {DOTS}, Cân nặng: {DOTS}, Nhóm máu: {DOTS}",
        f"24) Là thương binh hạng: {DOTS}, Là con gia đình chính sách: {DOTS}",
        f"25) Số định danh cá nhân: <b>{_t(person.citizen_id)}</b>, 26) Số sổ BHXH: {DOTS}",
    ]
    story += [Paragraph(line, s["base"]) for line in lines]

    # 27) Training.
    training_heading = Paragraph(
        "27) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC",
        s["section"],
    )
    head = ["Tên trường", "Chuyên ngành đào tạo, bồi dưỡng", "Từ tháng, năm – đến tháng, năm", "Hình thức đào tạo",
            "Văn bằng, chứng chỉ, trình độ gì"]  # fmt: skip
    rows = [[Paragraph(h, s["cell_head"]) for h in head]]
    for degree in sorted(degrees, key=lambda d: (d.year or 0, d.level)):
        rows.append(
            [
                Paragraph(escape(degree.institution or ""), s["cell"]),
                Paragraph(escape(degree.field), s["cell"]),
                Paragraph(f"tốt nghiệp năm {degree.year}" if degree.year else "", s["cell"]),
                Paragraph("", s["cell"]),
                Paragraph(escape(degree.get_level_display()), s["cell"]),
            ]
        )
    if len(rows) == 1:
        rows.append([Paragraph(BLANK, s["cell"]) for _ in head])
    # The heading never stays alone at the foot of a page.
    story.append(
        KeepTogether(
            [training_heading, _table(rows, [w * width for w in (0.24, 0.26, 0.17, 0.13, 0.20)], s)]
        )
    )

    # 28) Work history.
    story.append(Paragraph("28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC", s["section"]))
    rows = [[Paragraph("Từ tháng, năm đến tháng, năm", s["cell_head"]),
             Paragraph("Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể, tổ chức xã hội), "
                       "kể cả thời gian được đào tạo, bồi dưỡng về chuyên môn, nghiệp vụ, …", s["cell_head"])]]  # fmt: skip
    for a in history:
        detail = f"{a.position.title.name}, {a.position.unit.name}"
        decision = f" ({a.get_kind_display().lower()}"
        decision += f", quyết định số {a.decision_number}" if a.decision_number else ""
        decision += f" ngày {a.decision_date:%d/%m/%Y}" if a.decision_date else ""
        decision += ")"
        rows.append(
            [
                Paragraph(f"{_month(a.start_date)} – {_month(a.end_date)}", s["cell"]),
                Paragraph(escape(detail + decision), s["cell"]),
            ]
        )
    if len(rows) == 1:
        rows.append([Paragraph(BLANK, s["cell"]), Paragraph(BLANK, s["cell"])])
    story.append(_table(rows, [0.24 * width, 0.76 * width], s))

    # 29) Personal history: not kept by the system, written by hand.
    story.append(Paragraph("29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN", s["section"]))
    story += [_dotted_line(width, s["small"]) for _ in range(2)]

    # 30) Family relations recorded in the system.
    story.append(Paragraph("30) QUAN HỆ GIA ĐÌNH", s["section"]))
    rows = [[Paragraph(h, s["cell_head"]) for h in ("Mối quan hệ", "Họ và tên", "Năm sinh",
             "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở")]]  # fmt: skip
    kinds = dict(c.RelationKind.choices)
    for relative, kind, _relation in relatives_of(person):
        rows.append(
            [
                Paragraph(escape(str(kinds.get(kind, kind))), s["cell"]),
                Paragraph(escape(relative.full_name), s["cell"]),
                Paragraph(f"{relative.birth_date:%Y}", s["cell"]),
                Paragraph("", s["cell"]),
            ]
        )
    rows += [
        [Paragraph(BLANK, s["cell"]) for _ in range(4)] for _ in range(2 if len(rows) == 1 else 1)
    ]
    story.append(_table(rows, [w * width for w in (0.16, 0.26, 0.11, 0.47)], s))

    # 31) Salary history: kept in the payroll system, printed blank.
    story.append(Paragraph("31) DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA CÁN BỘ, CÔNG CHỨC", s["section"]))
    rows = [[Paragraph("Tháng/năm", s["cell_head"]), Paragraph("Mã ngạch/bậc", s["cell_head"]),
             Paragraph("Hệ số lương", s["cell_head"])]] + [[Paragraph(BLANK, s["cell"])] * 3 for _ in range(2)]  # fmt: skip
    story.append(_table(rows, [width / 3] * 3, s))

    story.append(
        Paragraph(
            "32) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ, CÔNG CHỨC",
            s["section"],
        )
    )
    story += [_dotted_line(width, s["small"]) for _ in range(3)]

    # Signature block.
    signer = [
        Paragraph("<b>Người khai</b>", s["center"]),
        Paragraph("<i>Tôi xin cam đoan những lời khai trên đây là đúng sự thật</i>", s["center"]),
        Paragraph("<i>(Ký tên, ghi rõ họ tên)</i>", s["center"]),
        Spacer(1, 18 * mm),
        Paragraph(f"<b>{escape(person.full_name)}</b>", s["center"]),
    ]
    head_of_body = [
        Paragraph(
            f"<i>{SHORT_DOTS * 2}, ngày {SHORT_DOTS} tháng {SHORT_DOTS} năm {printed_on:%Y}</i>",
            s["center"],
        ),
        Paragraph("<b>Thủ trưởng cơ quan, đơn vị quản lý và sử dụng CBCC</b>", s["center"]),
        Paragraph("<i>(Ký tên, đóng dấu)</i>", s["center"]),
    ]
    signatures = Table([[signer, head_of_body]], colWidths=[width / 2, width / 2])
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 4 * mm), KeepTogether(signatures)]
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(f"<i>In từ hệ thống ngày {printed_on:%d/%m/%Y}.</i>", s["small"]))

    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
