"""The demo cooperatives' branding-subsidy applications, one or more in every state (draft,
submitted, changes requested, approved, rejected, paid), each with its invoice, made through
the subsidy services at the moments of the history they belong to: an application approved
before a month's payout batch is paid by that batch, as a real one would be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from shop.accounts.models import User
from shop.cooperatives.models import Cooperative
from shop.extensions import db
from shop.ledger.services import replaying_at
from shop.media.uploads import Upload
from shop.subsidies import queries, services
from shop.subsidies.models import BrandingWork, SubsidyApplication


@dataclass(frozen=True)
class Plan:
    """One application: whose (the demo cooperatives in id order), in which month of the
    history (0 is the oldest; ``CURRENT`` is this month), and what becomes of it."""

    cooperative: int
    month: int
    work: BrandingWork
    cost_toman: int
    supplier: str
    description: str
    #: "draft", "submitted", "changes", "changes_resubmitted", "approved", "rejected" or
    #: "approved_late" (approved after the last payout batch: not paid yet).
    outcome: str


CURRENT = -1

PLANS = (
    Plan(
        0,
        1,
        BrandingWork.LOGO,
        9_000_000,
        "استودیو نقش‌نگار",
        "طراحی نشان و راهنمای رنگ تعاونی",
        "approved",
    ),
    Plan(
        1,
        3,
        BrandingWork.PACKAGING,
        14_500_000,
        "چاپ و بسته‌بندی توس",
        "جعبه‌های کرافت با چاپ نشان برای گلیم‌های کوچک",
        "approved",
    ),
    Plan(
        2,
        4,
        BrandingWork.EXHIBITION_STAND,
        30_000_000,
        "غرفه‌آرایی سپید",
        "غرفه در نمایشگاه صنایع دستی اصفهان",
        "rejected",
    ),
    Plan(
        0,
        6,
        BrandingWork.PHOTOGRAPHY,
        6_000_000,
        "عکاسی محصول نور",
        "عکاسی ۴۰ قطعه روی زمینه ساده",
        "changes_resubmitted",
    ),
    Plan(
        2,
        8,
        BrandingWork.LABELS,
        3_200_000,
        "برچسب‌سازی آریا",
        "برچسب پارچه‌ای دوزی با نام بافنده",
        "approved",
    ),
    Plan(
        1,
        11,
        BrandingWork.SHOP_PAGE,
        7_500_000,
        "استودیو وب کاشی",
        "عکس‌های سربرگ و متن معرفی صفحه تعاونی",
        "approved_late",
    ),
    Plan(
        0,
        CURRENT,
        BrandingWork.PACKAGING,
        11_000_000,
        "چاپ و بسته‌بندی توس",
        "کیسه‌های پارچه‌ای با نشان تعاونی",
        "submitted",
    ),
    Plan(
        2,
        CURRENT,
        BrandingWork.PHOTOGRAPHY,
        4_800_000,
        "عکاسی محصول نور",
        "عکاسی تابلوفرش‌ها در نور روز",
        "changes",
    ),
    Plan(
        1,
        CURRENT,
        BrandingWork.LABELS,
        2_000_000,
        "برچسب‌سازی آریا",
        "برچسب‌های کاغذی قیمت و مراقبت",
        "draft",
    ),
)

REJECTION = "هزینه غرفه نمایشگاه جزو هزینه‌های برندسازی این طرح نیست."
CHANGES = "لطفاً فاکتور رسمی با مهر تأمین‌کننده را بارگذاری کنید."


def invoice_pdf(reference: str, amount_toman: int) -> bytes:
    """A one-page PDF invoice."""
    return pdf_document(f"Invoice {reference} - {amount_toman:,} toman".encode("ascii"))


def pdf_document(text: bytes) -> bytes:
    """A one-page PDF of one line of ASCII ``text``, written by hand: a catalogue, its pages,
    the page, its content and font, and the cross-reference table."""
    content = b"BT /F1 14 Tf 40 140 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        start,
    )
    return bytes(out)


def _cooperatives() -> list[Cooperative]:
    return list(db.session.scalars(select(Cooperative).order_by(Cooperative.id)))


def _apply(plan: Plan, number: int, at: datetime) -> SubsidyApplication:
    cooperative = _cooperatives()[plan.cooperative]
    manager = cooperative.managers[0]
    upload = Upload(invoice_pdf(f"DEMO-{number:03d}", plan.cost_toman), f"invoice-{number}.pdf")
    application = services.create_application(
        cooperative,
        manager,
        services.ApplicationData(
            work=plan.work,
            cost=plan.cost_toman * 10,
            supplier=plan.supplier,
            description=plan.description,
        ),
        [upload],
    )
    application.created_at = at - timedelta(days=2)
    return application


def play(plans: list[tuple[int, Plan]], admin: User, at: datetime) -> None:
    """Make the applications ``plans`` (numbered) as of ``at``, and decide them."""
    for number, plan in plans:
        application = _apply(plan, number, at)
        if plan.outcome == "draft":
            continue
        manager = application.cooperative.managers[0]
        services.submit(application, manager, now=at)
        if plan.outcome in ("submitted", "approved_late"):
            continue
        decided = at + timedelta(days=3)
        if plan.outcome in ("changes", "changes_resubmitted"):
            services.request_changes(application.id, admin, CHANGES, now=decided)
            if plan.outcome == "changes":
                continue
            services.add_invoice(
                application,
                manager,
                Upload(invoice_pdf(f"DEMO-{number:03d}-B", plan.cost_toman), "invoice-stamped.pdf"),
            )
            services.submit(application, manager, now=decided + timedelta(days=2))
            decided += timedelta(days=4)
        if plan.outcome == "rejected":
            services.reject(application.id, admin, REJECTION, now=decided)
            continue
        _approve(application, admin, decided)


def _approve(application: SubsidyApplication, admin: User, at: datetime) -> None:
    """Grant what the rule allows, in whole toman (as the admin's form offers it)."""
    replay = replaying_at.set(at)
    try:
        allowed = queries.arithmetic_of(application, at).arithmetic.amount
        services.approve(application.id, admin, allowed - allowed % 10, now=at)
    finally:
        replaying_at.reset(replay)


def plans_for(month: int) -> list[tuple[int, Plan]]:
    """The numbered plans of history month ``month`` (or ``CURRENT``)."""
    return [(number, plan) for number, plan in enumerate(PLANS, start=1) if plan.month == month]


def approve_late(admin: User, at: datetime) -> None:
    """Approve what was submitted to be approved after the last payout batch: granted, in the
    ledger, and waiting for the next batch."""
    late = {plan.description for plan in PLANS if plan.outcome == "approved_late"}
    for application in db.session.scalars(
        select(SubsidyApplication).where(SubsidyApplication.description.in_(late))
    ):
        _approve(application, admin, at)
