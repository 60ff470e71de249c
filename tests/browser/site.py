"""A small but complete site for the browser tests, and the list of its pages for each role.

``build_site(app)`` fills the test database through the services, as the pages would: a centre,
a branded cooperative and shop, listings in both languages (one with several photos, an English
description and a Latin measurement), listings waiting, paused and rejected, a shop application
and a membership request, and an account of each role. ``pages(site)`` lists what each role can
open. To cover a new page, add it to the role's list below (or add a ``FormCheck``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from shop.accounts.models import User
from shop.cooperatives.models import Cooperative
from shop.database import transaction, utcnow
from shop.extensions import db
from shop.listings.models import DescriptionFormat
from shop.media.uploads import Upload
from shop.orders.models import Parcel
from shop.search.services import drain_outbox
from tests.conftest import (
    PASSWORD,
    Factory,
    approve_listing,
    by_variant,
    make_jpeg,
    reject_listing,
)

EMAILS = {
    "admin": "admin@example.com",
    "buyer": "buyer@example.com",
    "producer": "producer@example.com",
    "manager": "manager@example.com",
}

ENGLISH_DESCRIPTION = "A tableau rug woven by hand in Mashhad, in wool and silk."
DIMENSIONS = "80 × 250 cm"


@dataclass
class Site:
    ids: dict[str, int] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)


def _listing(
    factory,
    producer,
    title,
    *,
    description,
    category,
    photos=1,
    materials="",
    dimensions="",
    width=1200,
):
    from shop.listings import services

    return services.create_listing(
        producer,
        services.ListingData(
            title=title,
            description=description,
            description_format=DescriptionFormat.PLAIN,
            category_id=factory.category(category).id,
            price=2_500_000,
            is_made_to_order=False,
            stock_quantity=2,
            lead_time_days=None,
            materials=materials,
            dimensions=dimensions,
            weight_grams=1800,
        ),
        [
            Upload(
                make_jpeg(width, width * 3 // 4, colour=(40 + 50 * i, 90, 160 - 30 * i)),
                f"p{i}.jpg",
            )
            for i in range(photos)
        ],
    )


def build_site(app) -> Site:
    """Build the site in ``app``'s database (call inside an app or request context)."""
    from shop.listings import services as listings
    from shop.listings import variants
    from shop.producers import services as producers

    factory = Factory(app)
    site = Site()
    admin = factory.admin(email=EMAILS["admin"])
    factory.user(email=EMAILS["buyer"], name="مریم")
    manager = factory.user(email=EMAILS["manager"], name="فاطمه")
    centre = factory.centre()
    cooperative = factory.cooperative(manager=manager)
    with transaction():
        cooperative = db.session.get(Cooperative, cooperative.id)
        cooperative.tagline = "دست‌بافته‌های بانوان طلاب"
        cooperative.story = "ما از سال ۱۳۹۸ با هم کار می‌کنیم.\nHandmade in Mashhad."
        # Stored as-is (as before the brand form checked contrast): too little contrast (2.9:1)
        # for the light writing on the main colour; the page must still be readable.
        cooperative.color_primary = "#0f6e6e"
        cooperative.color_secondary = "#f4a259"
    producer = factory.producer(
        user=factory.user(email=EMAILS["producer"], name="زهرا"),
        shop_name="کارگاه تابلوفرش زهرا",
        centre=centre,
        cooperative=cooperative,
    )
    with transaction():
        producers.update_brand(
            producer,
            producers.Brand(
                shop_name="کارگاه تابلوفرش زهرا",
                tagline="Tableau rugs since 2015.",
                story="تابلوفرش‌های ما با پشم و ابریشم بافته می‌شوند.\nWe ship across Iran.",
                color_primary="#7a3e2b",
                color_secondary="#f4e1c1",
                logo=Upload(make_jpeg(400, 400, colour=(122, 62, 43)), "logo.jpg"),
                banner=Upload(make_jpeg(1600, 400, colour=(200, 150, 90)), "banner.jpg"),
            ),
        )
        rug = _listing(
            factory,
            producer,
            "تابلوفرش گل و مرغ",
            description=ENGLISH_DESCRIPTION,
            category="tableau-rug",
            photos=3,
            width=1600,  # its link preview uses the 1600 px rendition
            materials="Wool, silk",
            dimensions=DIMENSIONS,
        )
        approve_listing(rug)
        bag = _listing(
            factory,
            producer,
            "Leather shoulder bag",
            description="کیف دوشی چرمی، دوخت دست.",
            category="leather",
        )
        approve_listing(bag)
        shawl = _listing(
            factory, producer, "شال سوزن‌دوزی", description="شال نخی.", category="garments"
        )
        approve_listing(shawl)
        listings.set_listing_options(
            producer,
            shawl,
            [
                variants.OptionKind("اندازه", ("S", "M", "L")),
                variants.OptionKind("رنگ", ("آبی", "قرمز")),
            ],
        )
        listings.update_listing_variants(
            producer,
            shawl,
            {
                v.id: variants.VariantTerms(n % 3, 3_000_000 if v.option1 == "L" else None)
                for n, v in enumerate(shawl.offered_variants)
            },
        )
        paused = _listing(factory, producer, "گلیم کوچک", description="گلیم.", category="kilim")
        approve_listing(paused)
        listings.pause_listing(producer, paused)
        rejected = _listing(
            factory, producer, "جاکلیدی رزینی", description="رزین.", category="resin-crafts"
        )
        reject_listing(rejected, "عکس‌ها تار هستند.")
        pending = _listing(
            factory, producer, "کوسن فرت‌بافی", description="فرت.", category="fret-weaving"
        )
    drain_outbox()
    # Another member asks to join the cooperative; a newcomer applies for a shop.
    other = factory.producer(shop_name="چرم‌دوزی نرگس")
    with transaction():
        producers.request_membership(other, cooperative.id)
    applicant = factory.user(email="applicant@example.com", name="سارا")
    with transaction():
        producers.apply_as_producer(
            applicant,
            producers.Application(
                shop_name="رزین سارا",
                city="مشهد",
                neighbourhood="طلاب",
                centre_id=centre.id,
                cooperative_id=None,
                certificate=Upload(make_jpeg(800, 600), "certificate.jpg"),
            ),
        )
    drain_outbox()
    # The buyer has placed an order and has more in the cart.
    from shop.accounts.services import find_user_by_email
    from shop.cart import services as carts
    from shop.orders import services as orders

    buyer = find_user_by_email(EMAILS["buyer"])
    with transaction():
        order = orders.place_order(
            buyer,
            orders.Checkout(
                quantities=by_variant({bag.id: 1}),
                address=orders.DeliveryAddress(
                    "مریم رضایی",
                    "09121234567",
                    "razavi-khorasan",
                    "مشهد",
                    "بلوار طلاب",
                    "9177948974",
                ),
                payment_method="cash",
                idempotency_key="site",
            ),
        )
    with transaction():
        carts.add_to_cart(carts.cart_for_user(buyer), rug.id, 1)
    # …and an earlier one, delivered, for part of which she asked for her money back.
    from shop.orders import returns

    with transaction():
        earlier = orders.place_order(
            buyer,
            orders.Checkout(
                quantities=by_variant({bag.id: 1}),
                address=orders.DeliveryAddress(
                    "مریم رضایی",
                    "09121234567",
                    "razavi-khorasan",
                    "مشهد",
                    "بلوار طلاب",
                    "9177948974",
                ),
                payment_method="cash",
                idempotency_key="site-earlier",
            ),
        )
    delivered = earlier.parcels[0]
    with transaction():
        orders.ship_parcel(producer, delivered, "پست پیشتاز", "1234567890")
        orders.deliver_parcel(producer, delivered, cash_received=True)
    with transaction():
        returns.request_return(
            buyer, delivered, {delivered.lines[0].id: 1}, "دوخت بند کیف باز شده است."
        )
    # The return window of that parcel has closed: a payout batch waits to be confirmed.
    from shop.payouts.services import run_batch

    with transaction():
        db.session.get(Parcel, delivered.id).delivered_at = utcnow() - timedelta(days=10)
        db.session.get(Cooperative, cooperative.id).sheba = "IR820540102680020817909002"
    with transaction():
        site.ids["batch"] = run_batch(db.session.get(User, admin.id), minimum=1).id
    site.ids["cooperative"] = cooperative.id
    site.ids["subsidy"] = _subsidy_application(cooperative.id, manager.id)
    site.slugs["returned_order"] = earlier.number
    site.ids["returned_parcel"] = delivered.id
    drain_outbox()
    site.slugs["order"] = order.number
    site.ids["parcel"] = order.parcels[0].id
    site.ids.update(
        rug=rug.id,
        bag=bag.id,
        shawl=shawl.id,
        paused=paused.id,
        rejected=rejected.id,
        pending=pending.id,
    )
    site.slugs.update(shop=producer.slug, cooperative=cooperative.slug, centre=centre.slug)
    return site


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the login form (in a Playwright page)."""
    page.goto(f"{base}/login")
    form = page.locator("main form[action$='/login']")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".flash-success").count() == 1, page.url


def choose_language(page, code: str) -> None:
    """Send the header's language form (saved on the account of a signed-in user)."""
    with page.expect_navigation():
        page.locator(f"form[action$='/language/{code}']").first.evaluate("f => f.submit()")


@dataclass(frozen=True)
class FormCheck:
    """Open ``url``, empty the fields named in ``clear``, submit the form: its error state."""

    url: str
    form: str = "main form.form"
    clear: tuple[str, ...] = ()


def _subsidy_application(cooperative_id: int, manager_id: int) -> int:
    """A branding-subsidy application of the cooperative's, submitted, with a PDF invoice."""
    from shop.subsidies import services as subsidies
    from shop.subsidies.models import BrandingWork
    from tests.subsidies.conftest import minimal_pdf

    with transaction():
        manager = db.session.get(User, manager_id)
        application = subsidies.create_application(
            db.session.get(Cooperative, cooperative_id),
            manager,
            subsidies.ApplicationData(
                work=BrandingWork.PACKAGING,
                cost=90_000_000,
                supplier="چاپ و بسته‌بندی توس",
                description="جعبه‌های کرافت با چاپ نشان",
            ),
            [Upload(minimal_pdf(), "invoice.pdf")],
        )
        subsidies.submit(application, manager)
        return application.id


def pages(site: Site) -> dict[str, list[str | FormCheck]]:
    """The pages each role opens (``None``: a visitor who is not signed in)."""
    rug, paused = site.ids["rug"], site.ids["paused"]
    cooperative = site.ids["cooperative"]
    public = [
        "/impact",
        "/",
        "/categories/carpets-rugs",
        "/categories/tableau-rug",
        f"/products/{rug}",
        f"/products/{rug}?photo=2",
        f"/products/{site.ids['shawl']}",  # a choice of sizes and colours
        f"/shops/{site.slugs['shop']}",
        f"/cooperatives/{site.slugs['cooperative']}",
        f"/centres/{site.slugs['centre']}",
        "/search?q=تابلوفرش",
        "/search?q=nothing-matches-this",
        "/about",
        "/contact",
        "/terms",
        "/privacy",
        "/products/999999999",  # 404
        "/categories/kilim?page=abc",  # 400
    ]
    return {
        "visitor": [
            *public,
            "/login",
            "/register",
            "/cart",
            FormCheck("/login"),
            FormCheck("/register"),
        ],
        "buyer": [
            "/cart",
            "/checkout",
            "/orders",
            f"/orders/{site.slugs['order']}",
            f"/orders/{site.slugs['returned_order']}",
            FormCheck("/checkout", form="main form.checkout", clear=("recipient",)),
            "/account",
            "/account/password",
            "/producer/apply",
            FormCheck("/account/password"),
            FormCheck("/producer/apply"),
        ],
        "producer": [
            "/producer/parcels",
            f"/producer/parcels/{site.ids['parcel']}",
            f"/producer/parcels/{site.ids['parcel']}/slip",
            f"/producer/parcels/{site.ids['returned_parcel']}",
            FormCheck(
                f"/producer/parcels/{site.ids['parcel']}",
                form="main form[action$='/refuse']",
                clear=("reason",),
            ),
            "/producer/",
            "/producer/brand",
            "/producer/cooperative",
            "/producer/listings/new",
            f"/producer/listings/{rug}/edit",
            f"/producer/listings/{site.ids['shawl']}/edit",
            f"/producer/listings/{site.ids['shawl']}/variants",
            f"/producer/listings/{rug}/variants",
            f"/producer/listings/{paused}/delete",
            FormCheck("/producer/listings/new"),
            FormCheck(f"/producer/listings/{rug}/edit", clear=("title",)),
            FormCheck(
                f"/producer/listings/{site.ids['shawl']}/variants",
                form="main form[action$='/variants']",
                clear=("rows-0-stock_quantity",),
            ),
            FormCheck("/producer/brand", clear=("shop_name",)),
            "/producer/earnings",
            FormCheck("/producer/earnings", clear=("sheba",)),
        ],
        "manager": [
            "/cooperative/manage",
            f"/cooperatives/{site.slugs['cooperative']}",
            f"/cooperative/{site.ids['cooperative']}/earnings",
            FormCheck(f"/cooperative/{site.ids['cooperative']}/earnings", clear=("sheba",)),
            f"/cooperative/{cooperative}/",
            f"/cooperative/{cooperative}/brand",
            f"/cooperative/{cooperative}/reports?period=this_year",
            f"/cooperative/{cooperative}/reports?period=range&from=1405/09/10&to=1405/01/01",
            f"/cooperative/{cooperative}/statement",
            f"/cooperative/{cooperative}/subsidies",
            f"/cooperative/{cooperative}/subsidies/new",
            FormCheck(f"/cooperative/{cooperative}/subsidies/new", clear=("cost", "supplier")),
            f"/cooperative/{cooperative}/subsidies/{site.ids['subsidy']}",
        ],
        "admin": [
            "/admin/orders",
            "/admin/orders?q=zzz",
            "/admin/payments",
            "/admin/ledger",
            "/admin/payouts/",
            f"/admin/payouts/{site.ids['batch']}",
            "/admin/commissions",
            FormCheck("/admin/commissions", clear=("high",)),
            "/admin/audit",
            "/admin/",
            "/admin/producers",
            "/admin/listings",
            "/admin/centres",
            "/admin/cooperatives",
            FormCheck("/admin/centres"),
            FormCheck("/admin/cooperatives"),
            "/admin/subsidies/",
            f"/admin/subsidies/{site.ids['subsidy']}",
            FormCheck(
                f"/admin/subsidies/{site.ids['subsidy']}",
                form="main form[action$='/reject']",
                clear=("reason",),
            ),
            "/admin/subsidies/rules",
            FormCheck("/admin/subsidies/rules", clear=("rate",)),
            "/programme/impact",
            "/programme/impact?period=year&year=1405",
            "/programme/training",
            "/programme/staff",
        ],
    }


__all__ = [
    "DIMENSIONS",
    "EMAILS",
    "ENGLISH_DESCRIPTION",
    "PASSWORD",
    "FormCheck",
    "Site",
    "build_site",
    "choose_language",
    "pages",
    "sign_in",
]


def fill_address(checkout, address: dict[str, str]) -> None:
    """Type an address into the checkout form (``main form.checkout``): recipient, mobile,
    province (a code from the list), city, street address and postal code."""
    for name, value in address.items():
        box = checkout.locator(f"[name={name}]")
        if name == "province":
            box.select_option(value)
        else:
            box.fill(value)


def buy_one_and_pay_with(page, base: str, product_id: int, address: dict, method: str) -> None:
    """Add the listing from its page, fill the checkout with ``address``, choose ``method``
    and place the order (the page then follows where the shop sends it)."""
    page.goto(f"{base}/products/{product_id}")
    with page.expect_navigation():
        page.locator("form.add-to-cart button[type=submit]").click()
    page.goto(f"{base}/checkout")
    checkout = page.locator("main form.checkout")
    fill_address(checkout, address)
    checkout.locator(f"input[name=payment_method][value={method}]").check()
    with page.expect_navigation():
        checkout.locator("button[type=submit]").click()
