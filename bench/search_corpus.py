"""A synthetic, deterministic handicraft catalogue and query set for the search benchmark.

Listings are ~85% Persian and ~15% English, written from realistic vocabulary (carpets, tableau
rugs, kilims, fret weaving, leather, resin, garments, other crafts), with the variants people
type: the Arabic letters ي/ك in about a fifth of the texts, the zero-width non-joiner present or
left out, Persian, Arabic-Indic or ASCII digits in sizes, plurals with «ها» joined or apart.

``make_catalogue(n)`` returns the listings, producers, cooperatives and centres, so the same
data can become ``shop.search.backend.Document`` objects (for the index) and database rows (for
the API); ``make_queries(n)`` returns the fixed query set as query-string arguments.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from shop.catalog.seed import CATEGORY_TREE
from shop.search.backend import PRICE_BANDS, Document

#: Written in the vocabulary below for the zero-width non-joiner (U+200C).
ZWNJ = "\u200c"
SEED = "dastranj-search-bench"
#: Listings are published during the year before this instant (fixed, so runs are repeatable).
EPOCH = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
YEAR = 365 * 24 * 3600


def _z(text: str) -> str:
    """``_`` in the vocabulary stands for the zero-width non-joiner."""
    return text.replace("_", ZWNJ)


def _zl(items: list[str]) -> list[str]:
    return [_z(item) for item in items]


# --- vocabulary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Craft:
    slug: str
    nouns: list[str]
    styles: list[str]
    features: list[str]
    materials: list[str]
    en_nouns: list[str]
    en_styles: list[str]
    en_materials: list[str]
    #: Price range in rials (log-uniform).
    price: tuple[int, int]
    #: Size range in centimetres (width, length) or None for crafts sold without a size.
    size: tuple[int, int] | None
    weight: float


CRAFTS: list[Craft] = [
    Craft(
        "hand-woven-carpet",
        _zl(
            [
                "فرش دست_باف",
                "قالی دستباف",
                "قالیچه",
                "قالیچه ذرعی",
                "پادری دستباف",
                "کناره",
                "فرش ابریشمی",
                "زرچارک",
                "فرش کرک",
                "قالی",
            ]
        ),
        _zl(
            [
                "طرح لچک_ترنج",
                "طرح شاه_عباسی",
                "نقشه هراتی",
                "طرح ماهی_درهم",
                "طرح افشان",
                "طرح گلدانی",
                "طرح محرابی",
                "نقشه شیخ صفی",
                "طرح بته_جقه",
                "طرح خشتی",
                "طرح گل_فرنگ",
            ]
        ),
        _zl(
            [
                "گره فارسی",
                "گره ترکی",
                "رج_شمار ۴۰",
                "رج_شمار ۶۰",
                "رنگ گیاهی",
                "چله ابریشم",
                "ریزبافت",
                "پرز کوتاه",
                "شناسنامه_دار",
            ]
        ),
        _zl(["پشم دستریس", "کرک", "ابریشم طبیعی", "چله پنبه_ای", "پشم مرینوس", "گل ابریشم"]),
        ["hand-knotted carpet", "wool rug", "silk carpet", "runner", "prayer rug", "carpet"],
        ["medallion design", "herati pattern", "paisley motif", "garden design", "tree of life"],
        ["wool", "silk", "cotton warp", "kork wool", "vegetable dyes"],
        (30_000_000, 900_000_000),
        (60, 300),
        0.22,
    ),
    Craft(
        "tableau-rug",
        _zl(["تابلوفرش", "تابلو فرش", "تابلو فرش دستباف", "تابلوفرش ابریشمی", "قاب فرش"]),
        _zl(
            [
                "طرح منظره",
                "طرح گل و مرغ",
                "خوشنویسی وان یکاد",
                "طرح چهره",
                "طرح حافظیه",
                "طرح کاخ چهلستون",
                "طرح بنای میدان نقش جهان",
                "طرح آیه_الکرسی",
            ]
        ),
        _zl(["با قاب چوبی", "ریزبافت", "رج_شمار ۷۰", "با شیشه", "بافت تبریز", "چله نخی"]),
        _zl(["ابریشم", "پشم", "نخ مرسریزه", "چله پنبه_ای"]),
        ["tableau rug", "pictorial rug", "wall hanging rug", "framed rug"],
        ["landscape", "calligraphy", "birds and flowers", "portrait"],
        ["silk", "wool", "mercerised cotton"],
        (15_000_000, 350_000_000),
        (30, 120),
        0.10,
    ),
    Craft(
        "kilim",
        _zl(["گلیم", "گبه", "جاجیم", "گلیم دستباف", "رو_کرسی", "گلیم فرش", "پشتی گلیمی"]),
        _zl(
            [
                "طرح قشقایی",
                "شیریکی_پیچ",
                "طرح عشایری",
                "نقش لوزی",
                "طرح سنندجی",
                "طرح سیستانی",
                "طرح درختی",
            ]
        ),
        _zl(["دو رو", "رنگ گیاهی", "پشم محلی", "گلیم_بافی سنتی", "بافت درشت", "ضخیم"]),
        _zl(["پشم", "پشم رنگرزی_شده", "پنبه", "موی بز"]),
        ["kilim", "gabbeh", "flat-weave rug", "jajim", "kilim cushion"],
        ["nomadic design", "qashqai pattern", "geometric pattern"],
        ["wool", "goat hair", "cotton"],
        (8_000_000, 180_000_000),
        (50, 250),
        0.16,
    ),
    Craft(
        "fret-weaving",
        _zl(["فرت_بافی", "کیف فرتی", "زیرلیوانی فرتی", "رومیزی فرت_بافی", "جامدادی فرتی"]),
        _zl(["طرح سنتی", "طرح هندسی", "طرح گل", "رنگارنگ", "طرح کودکانه"]),
        _zl(["دست_ساز", "سبک", "قابل شست_وشو", "بند بلند"]),
        _zl(["نخ کاموا", "نخ پنبه", "نخ ابریشم", "پارچه کتان"]),
        ["fret-woven bag", "woven coaster", "table runner", "pencil case"],
        ["traditional pattern", "colourful", "geometric"],
        ["cotton yarn", "wool yarn"],
        (400_000, 9_000_000),
        (10, 60),
        0.08,
    ),
    Craft(
        "leather",
        _zl(
            [
                "کیف چرم",
                "کیف پول چرمی",
                "کمربند چرم",
                "جاکارتی چرمی",
                "کوله چرمی",
                "کیف دوشی چرم",
                "دفترچه چرمی",
                "جاکلیدی چرم",
            ]
        ),
        _zl(["دست_دوز", "مدل کلاسیک", "مدل مینیمال", "طرح کروکو", "مدل زنانه", "مدل مردانه"]),
        _zl(["دوخت دستی", "نخ واکسی", "لبه_رنگ_شده", "با حک اسم", "زیپ فلزی"]),
        _zl(["چرم طبیعی گاوی", "چرم بزی", "چرم وگتال", "چرم شتر مرغ"]),
        ["leather bag", "leather wallet", "leather belt", "card holder", "leather backpack"],
        ["hand-stitched", "minimal", "classic"],
        ["full-grain leather", "vegetable-tanned leather", "goat leather"],
        (1_500_000, 45_000_000),
        None,
        0.14,
    ),
    Craft(
        "resin-crafts",
        _zl(
            [
                "گردنبند رزینی",
                "گوشواره رزین",
                "جاکلیدی رزینی",
                "زیرلیوانی رزین",
                "سینی رزینی",
                "ساعت دیواری رزین",
                "انگشتر رزینی",
                "دستبند رزین",
            ]
        ),
        _zl(["با گل خشک", "طرح دریا", "طرح کهکشان", "با ورق طلا", "شفاف", "طرح چوب و رزین"]),
        _zl(["ضد آب", "دست_ساز", "براق", "قالب سیلیکونی", "با زنجیر استیل"]),
        _zl(["رزین اپوکسی", "گل خشک", "چوب گردو", "پودر صدف"]),
        ["resin necklace", "resin earrings", "resin keychain", "resin coaster", "resin tray"],
        ["dried flowers", "ocean design", "galaxy", "gold leaf"],
        ["epoxy resin", "walnut wood", "dried flowers"],
        (400_000, 18_000_000),
        (5, 50),
        0.12,
    ),
    Craft(
        "garments",
        _zl(
            [
                "پیراهن سوزن_دوزی",
                "مانتو",
                "روسری",
                "شال",
                "چادر",
                "لباس محلی",
                "دامن",
                "شلوار بلوچی",
                "جلیقه",
            ]
        ),
        _zl(
            [
                "سوزن_دوزی بلوچی",
                "سوزن_دوزی بوشهری",
                "گلدوزی",
                "طرح ترکمن",
                "طرح کردی",
                "قلاب_دوزی",
            ]
        ),
        _zl(["سایز آزاد", "دوخت دستی", "آستین بلند", "قد بلند", "نخی خنک"]),
        _zl(["پارچه نخی", "کتان", "ابریشم", "مخمل", "پشم"]),
        ["embroidered dress", "scarf", "shawl", "tunic", "traditional dress"],
        ["balochi embroidery", "bushehri needlework", "hand embroidery"],
        ["cotton", "linen", "silk", "velvet"],
        (2_500_000, 70_000_000),
        None,
        0.12,
    ),
    Craft(
        "other-handicrafts",
        _zl(
            [
                "ظرف سفالی",
                "کاسه سفالی",
                "سبد حصیری",
                "تابلو معرق",
                "بشقاب میناکاری",
                "جعبه خاتم",
                "عروسک نمدی",
                "گلدان سفالی",
                "سینی قلمزنی",
            ]
        ),
        _zl(["طرح سنتی", "لعاب فیروزه_ای", "نقش اسلیمی", "طرح گل و بوته", "کار اصفهان"]),
        _zl(["دست_ساز", "کوره_ای", "قابل شست_وشو", "مناسب هدیه"]),
        _zl(["سفال", "برگ نخل", "چوب", "مس", "نمد", "لعاب"]),
        ["pottery bowl", "woven basket", "felt doll", "enamel plate", "khatam box"],
        ["turquoise glaze", "traditional pattern", "arabesque"],
        ["clay", "palm leaves", "copper", "felt", "wood"],
        (800_000, 60_000_000),
        (10, 60),
        0.06,
    ),
]
CRAFT_BY_SLUG = {craft.slug: craft for craft in CRAFTS}

COLOURS = _zl(
    [
        "قرمز",
        "لاکی",
        "سرمه_ای",
        "کرم",
        "فیروزه_ای",
        "سبز",
        "مشکی",
        "قهوه_ای",
        "عسلی",
        "زرشکی",
        "طلایی",
        "نقره_ای",
        "سفید",
        "طوسی",
        "نارنجی",
        "آبی",
    ]
)
EN_COLOURS = ["red", "navy", "cream", "turquoise", "green", "black", "brown", "gold", "ivory"]

#: (name as producers type it, neighbourhoods)
CITIES: list[tuple[str, list[str]]] = [
    ("مشهد", _zl(["طلاب", "گلشهر", "قلعه_ساختمان", "سیدی", "طبرسی"])),
    ("تبریز", _zl(["ششگلان", "ولیعصر", "بازار"])),
    ("اصفهان", _zl(["منطقه ۱۲", "جلفا", "سپاهان_شهر"])),
    ("کاشان", _zl(["فین", "سلطان امیراحمد"])),
    ("قم", _zl(["صفاشهر", "پردیسان"])),
    ("یزد", _zl(["فهادان", "بافت تاریخی"])),
    ("شیراز", _zl(["سعدی", "قصرالدشت"])),
    ("کرمان", _zl(["شهرک باهنر", "بازار"])),
    ("بوشهر", _zl(["بهمنی", "سنگی"])),
    ("تهران", _zl(["منطقه ۱۳", "نیروی هوایی", "نازی_آباد", "تجریش"])),
    ("زاهدان", _zl(["کریم_آباد", "شیرآباد"])),
    ("سنندج", _zl(["نایسر", "شهرک بهاران"])),
    ("اردبیل", _zl(["سرچشمه", "کاظمیه"])),
    ("همدان", _zl(["لالجین", "مزدقینه"])),
    ("نایین", _zl(["محمدیه"])),
    ("بیرجند", _zl(["مهرشهر", "غفاری"])),
    ("کرمانشاه", _zl(["الهیه", "فرهنگیان"])),
    ("زنجان", _zl(["اعتمادیه", "کوچه_مشکی"])),
    ("رشت", _zl(["گلسار", "بیستون"])),
    ("ساری", _zl(["میدان امام", "طبرستان"])),
]
EN_CITIES = {
    "مشهد": "Mashhad",
    "تبریز": "Tabriz",
    "اصفهان": "Isfahan",
    "کاشان": "Kashan",
    "یزد": "Yazd",
    "شیراز": "Shiraz",
    "کرمان": "Kerman",
    "تهران": "Tehran",
}
COOP_THEMES = _zl(
    [
        "بانوان کارآفرین",
        "مشاغل خانگی",
        "هنرهای دستی",
        "فرش دستباف",
        "گلیم_بافان",
        "چرم_دوزان",
        "صنایع دستی",
        "دسترنج بانوان",
        "هنرمندان محله",
    ]
)
SHOP_WORDS = _zl(
    [
        "ترنج",
        "بهار",
        "نگار",
        "آرام",
        "مهرآفرین",
        "گل_نار",
        "نقش",
        "دست_آفرین",
        "سپیده",
        "یاس",
        "پرنیان",
        "ستاره",
        "آوا",
        "کیمیا",
        "هستی",
    ]
)
CENTRE_NAMES = _zl(["مرکز رویش", "مرکز مشاغل خانگی", "فرهنگسرای", "مرکز آموزش مهارت"])

FA_SENTENCES = _zl(
    [
        "این {noun} را در خانه و در حدود {months} ماه بافته_ام",
        "رنگ_ها گیاهی است و با روناس و پوست انار رنگرزی شده_اند",
        "قبل از ارسال شسته و بسته_بندی می_شود",
        "مناسب هدیه و دکور منزل و اتاق پذیرایی",
        "زمینه {colour} با حاشیه {colour2} کار شده است",
        "جنس کار {material} است و دوام بالایی دارد",
        "ارسال به سراسر کشور با پست پیشتاز انجام می_شود",
        "سفارش با رنگ و اندازه دلخواه پذیرفته می_شود",
        "این محصول کار بانوان محله در {city} است",
        "{style} یکی از نقش_های پرطرفدار این کار است",
        "اندازه کار {size} است",
        "برای مشاوره پیش از خرید پیام بدهید",
        "عکس_ها از خود کار گرفته شده و رنگ واقعی را نشان می_دهند",
        "{feature} و دقت در جزئیات از ویژگی_های این {noun} است",
        "زمان آماده_سازی سفارش حدود {days} روز کاری است",
        "هر قطعه یکتا است و ممکن است با عکس کمی تفاوت داشته باشد",
        "شست_وشو با آب سرد و بدون مواد سفیدکننده توصیه می_شود",
        "درآمد این کار به خانواده_های سرپرست خانوار کمک می_کند",
    ]
)
EN_SENTENCES = [
    "This {noun} was made by hand at home over about {months} months",
    "Dyed with madder root and pomegranate peel for warm natural colours",
    "Washed and packed with care before shipping",
    "A lovely gift and a warm piece for a living room or bedroom",
    "The field is {colour} with a {colour2} border",
    "Made of {material} and built to last for many years",
    "Ships across the country and abroad within a few working days",
    "Custom colours and sizes are welcome, please write before ordering",
    "Made by women of a neighbourhood cooperative in {city}",
    "The {style} is one of the best loved designs of the region",
    "It measures {size}",
    "Each piece is unique and may differ slightly from the photos",
]
FA_FILLERS = _zl(["بسیار", "زیبا", "ظریف", "اصیل", "سنتی", "باکیفیت", "نفیس", "محکم", "خوش_رنگ"])
EN_FILLERS = ["beautiful", "fine", "authentic", "traditional", "durable", "delicate", "warm"]

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})


# --- typing variants -------------------------------------------------------------------------


@dataclass(frozen=True)
class Typing:
    """How one person types: Arabic letters, joiner kept or dropped, which digits."""

    arabic: bool
    zwnj: bool
    digits: str  # "persian", "arabic" or "ascii"

    @classmethod
    def draw(cls, rng: random.Random) -> Typing:
        digits = rng.choices(["persian", "ascii", "arabic"], [0.55, 0.35, 0.10])[0]
        return cls(arabic=rng.random() < 0.20, zwnj=rng.random() < 0.60, digits=digits)

    def number(self, value: int | str) -> str:
        text = str(value)
        if self.digits == "persian":
            return text.translate(_PERSIAN_DIGITS)
        if self.digits == "arabic":
            return text.translate(_ARABIC_DIGITS)
        return text

    def apply(self, text: str) -> str:
        """``text`` (written with ZWNJ and Persian digits in the vocabulary) as typed."""
        text = text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
        if self.digits != "ascii":
            text = self.number(text)
        if not self.zwnj:
            text = text.replace(ZWNJ, "")
        if self.arabic:
            text = text.translate(_ARABIC_LETTERS)
        return text


# --- the catalogue ---------------------------------------------------------------------------


@dataclass
class Centre:
    id: int
    name: str
    slug: str
    city: str
    neighbourhood: str


@dataclass
class Cooperative:
    id: int
    name: str
    slug: str
    city: str


@dataclass
class Producer:
    id: int
    shop_name: str
    slug: str
    city: str
    neighbourhood: str
    craft: str
    cooperative: Cooperative | None
    centre: Centre | None


@dataclass
class Listing:
    id: int
    producer: Producer
    category: str
    title: str
    description: str
    materials: str
    dimensions: str
    price: int
    stock: int
    made_to_order: bool
    lead_time_days: int | None
    published: int
    weight_grams: int


@dataclass
class Catalogue:
    listings: list[Listing]
    producers: list[Producer]
    cooperatives: list[Cooperative]
    centres: list[Centre]
    documents: list[Document] = field(default_factory=list)


def _category_names() -> dict[str, tuple[str, str, str | None]]:
    """slug → (Persian name, English name, parent slug)."""
    names = {}
    for slug, name_fa, name_en, children in CATEGORY_TREE:
        names[slug] = (name_fa, name_en, None)
        for child_slug, child_fa, child_en in children:
            names[child_slug] = (child_fa, child_en, slug)
    return names


CATEGORY_NAMES = _category_names()


def _log_uniform(rng: random.Random, low: int, high: int) -> int:
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return max(10_000, int(value // 10_000) * 10_000)


def _words(text: str) -> list[str]:
    return text.split()


def _fill(rng: random.Random, template: str, values: dict) -> str:
    return template.format(**{key: value() for key, value in values.items()})


def _make_places(rng: random.Random, n_listings: int):
    centres = []
    for number in range(1, 13):
        city, neighbourhoods = CITIES[(number * 7) % len(CITIES)]
        neighbourhood = rng.choice(neighbourhoods)
        centres.append(
            Centre(
                number,
                f"{rng.choice(CENTRE_NAMES)} {neighbourhood}",
                f"centre-{number:02d}",
                city,
                neighbourhood,
            )
        )
    cooperatives = []
    for number in range(1, 41):
        city, _ = CITIES[number % len(CITIES)]
        cooperatives.append(
            Cooperative(
                number,
                _z(f"تعاونی {rng.choice(COOP_THEMES)} {city}"),
                f"coop-{number:02d}",
                city,
            )
        )
    producers = []
    crafts = [craft.slug for craft in CRAFTS]
    weights = [craft.weight for craft in CRAFTS]
    for number in range(1, max(20, n_listings // 8) + 1):
        city, neighbourhoods = rng.choice(CITIES)
        typed_city = Typing.draw(rng).apply(city) if rng.random() < 0.5 else city
        craft = rng.choices(crafts, weights)[0]
        word = CRAFT_BY_SLUG[craft].nouns[0].split()[0]
        producer = Producer(
            number,
            f"{word} {rng.choice(SHOP_WORDS)} {number}",
            f"shop-{number}",
            typed_city,
            rng.choice(neighbourhoods),
            craft,
            rng.choice([c for c in cooperatives if c.city == city] or cooperatives)
            if rng.random() < 0.6
            else None,
            rng.choice(centres) if rng.random() < 0.3 else None,
        )
        producers.append(producer)
    return centres, cooperatives, producers


def _size_text(rng: random.Random, craft: Craft, typing: Typing, english: bool) -> str:
    if craft.size is None:
        return ""
    low, high = craft.size
    width = rng.randrange(low, high + 1, 5 if high > 60 else 1)
    length = width if rng.random() < 0.2 else rng.randrange(width, int(width * 1.8) + 5, 5)
    if english:
        return f"{width} × {length} cm"
    if rng.random() < 0.5:
        return f"{typing.number(width)} در {typing.number(length)}"
    return _z(f"{typing.number(width)} × {typing.number(length)} سانتی_متر")


def _listing_text(rng: random.Random, craft: Craft, producer: Producer, english: bool):
    typing = Typing.draw(rng)
    size = _size_text(rng, craft, typing, english)
    colour, colour2 = rng.sample(EN_COLOURS if english else COLOURS, 2)
    if english:
        noun = rng.choice(craft.en_nouns)
        style = rng.choice(craft.en_styles)
        material = rng.choice(craft.en_materials)
        parts = [
            rng.choice(["Hand-made", "Handmade", "Hand-woven", "Traditional"]) + " " + noun,
            style,
            colour,
            material,
            size,
            EN_CITIES.get(producer.city, "Iran"),
        ]
    else:
        noun = rng.choice(craft.nouns)
        style = rng.choice(craft.styles)
        material = rng.choice(craft.materials)
        parts = [noun, style, colour, rng.choice(craft.features), size, producer.city]
        if rng.random() < 0.15:  # «قالیچه ها», «کیف‌های»: plurals typed apart or joined
            parts[0] = noun + rng.choice([" ها", ZWNJ + "های", "ها"])
    words: list[str] = []
    target = rng.randint(3, 8)
    for part in parts:  # whole phrases while they fit, then cut the last one short
        if part and (len(words) + len(_words(part)) <= target or len(words) < 2):
            words += _words(part)
    words = words[:target]
    while len(words) < target:
        words.append(rng.choice(EN_FILLERS if english else FA_FILLERS))
    title = " ".join(words)

    values = {
        "noun": lambda: noun,
        "months": lambda: typing.number(rng.randint(2, 12)),
        "days": lambda: typing.number(rng.randint(3, 30)),
        "colour": lambda: colour,
        "colour2": lambda: colour2,
        "material": lambda: material,
        "city": lambda: EN_CITIES.get(producer.city, producer.city) if english else producer.city,
        "style": lambda: style,
        "feature": lambda: rng.choice(craft.features),
        "size": lambda: size or ("one size" if english else "آزاد"),
    }
    sentences = EN_SENTENCES if english else FA_SENTENCES
    target = rng.randint(20, 60)
    body: list[str] = []
    while len(body) < target:
        sentence = _fill(rng, rng.choice(sentences), values)
        if rng.random() < 0.3:
            sentence = rng.choice(EN_FILLERS if english else FA_FILLERS) + " " + sentence
        body += _words(sentence + ".")
    description = " ".join(body[:target]).rstrip(".") + "."
    # A paragraph break at a sentence end past the middle, as sellers write.
    cut = description.find(". ", len(description) // 2)
    if cut > 0 and rng.random() < 0.5:
        description = description[: cut + 1] + "\n\n" + description[cut + 2 :]
    materials = ", ".join(rng.sample(craft.en_materials if english else craft.materials, 2))
    if english:
        return title, description, materials, size
    return typing.apply(title), typing.apply(description), typing.apply(materials), size


def make_catalogue(n: int, seed: str = SEED) -> Catalogue:
    """``n`` listings with their producers, cooperatives and centres (deterministic)."""
    rng = random.Random(f"{seed}-{n}")
    centres, cooperatives, producers = _make_places(rng, n)
    by_craft: dict[str, list[Producer]] = {}
    for producer in producers:
        by_craft.setdefault(producer.craft, []).append(producer)
    crafts = [craft.slug for craft in CRAFTS]
    weights = [craft.weight for craft in CRAFTS]
    listings = []
    for number in range(1, n + 1):
        slug = rng.choices(crafts, weights)[0]
        craft = CRAFT_BY_SLUG[slug]
        producer = rng.choice(by_craft.get(slug) or producers)
        if rng.random() < 0.2:  # producers also list outside their main craft
            producer = rng.choice(producers)
        english = rng.random() < 0.15
        title, description, materials, size = _listing_text(rng, craft, producer, english)
        roll = rng.random()
        made_to_order = 0.55 <= roll < 0.85
        stock = rng.randint(1, 5) if roll < 0.55 else 0
        listings.append(
            Listing(
                id=number,
                producer=producer,
                category=slug,
                title=title[:140],
                description=description,
                materials=materials[:300],
                dimensions=size[:120],
                price=_log_uniform(rng, *craft.price),
                stock=stock,
                made_to_order=made_to_order,
                lead_time_days=rng.randint(7, 150) if made_to_order else None,
                published=EPOCH - rng.randrange(YEAR),
                weight_grams=rng.randint(50, 15_000),
            )
        )
    catalogue = Catalogue(listings, producers, cooperatives, centres)
    catalogue.documents = [document(listing) for listing in listings]
    return catalogue


def availability(listing: Listing) -> str:
    if listing.made_to_order:
        return "made_to_order"
    return "in_stock" if listing.stock > 0 else "out_of_stock"


def document(listing: Listing) -> Document:
    """The listing as ``shop.search.documents.document_for`` would describe it."""
    producer = listing.producer
    name_fa, name_en, parent = CATEGORY_NAMES[listing.category]
    names = [name_fa, name_en]
    if parent is not None:
        names += [CATEGORY_NAMES[parent][0], CATEGORY_NAMES[parent][1]]
    names += [producer.shop_name, producer.city, producer.neighbourhood]
    if producer.cooperative is not None:
        names.append(producer.cooperative.name)
    if producer.centre is not None:
        names += [producer.centre.name, producer.centre.neighbourhood]
    body = "\n".join(filter(None, [listing.description, listing.materials, listing.dimensions]))
    fields = {
        "title": listing.title,
        "body": body,
        "names": "\n".join(filter(None, names)),
        "category": listing.category,
        "category_parent": parent or listing.category,
        "city": producer.city,
        "cooperative": producer.cooperative.slug if producer.cooperative else "",
        "price": listing.price,
        "availability": availability(listing),
        "published": listing.published,
    }
    digest = hashlib.sha256(repr(sorted(fields.items())).encode()).hexdigest()[:20]
    return Document(id=listing.id, stamp=digest, **fields)


# --- the queries -----------------------------------------------------------------------------


def _misspell(rng: random.Random, text: str) -> str:
    words = text.split()
    candidates = [i for i, word in enumerate(words) if len(word) >= 4]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word = list(words[index])
    position = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap":
        word[position], word[position + 1] = word[position + 1], word[position]
    elif kind == "drop":
        del word[position]
    elif kind == "double":
        word.insert(position, word[position])
    else:
        alphabet = "abcdefghiklmnoprstuvwy" if word[0].isascii() else "ابپتسجچحخدرزژشصطعفقکگلمنوهی"
        word[position] = rng.choice(alphabet)
    words[index] = "".join(word)
    return " ".join(words)


def _first_words(text: str, count: int) -> str:
    return " ".join(text.split()[:count])


def make_queries(n: int = 200, seed: str = SEED) -> list[dict[str, str]]:
    """``n`` searches as query-string arguments (``q`` plus filters and sorts), deterministic.

    Each has a ``kind`` key (not sent) describing it: fa, fa-arabic, fa-nozwnj, fa-plural, en,
    misspelt, with ``+filter``/``+sort`` appended when those are set.
    """
    rng = random.Random(f"{seed}-queries")
    categories = [craft.slug for craft in CRAFTS] + ["carpets-rugs"]
    queries = []
    for _ in range(n):
        craft = rng.choices(CRAFTS, [c.weight for c in CRAFTS])[0]
        english = rng.random() < 0.15
        if english:
            pool = [
                rng.choice(craft.en_nouns),
                f"{rng.choice(craft.en_materials)} {rng.choice(craft.en_nouns)}",
                f"{rng.choice(EN_COLOURS)} {rng.choice(craft.en_nouns)}",
                CATEGORY_NAMES[craft.slug][1].lower(),
            ]
            text = _first_words(rng.choice(pool), 3)
            kind = "en"
        else:
            noun = rng.choice(craft.nouns)
            city = rng.choice(CITIES)[0]
            pool = [
                noun,
                f"{noun} {rng.choice(COLOURS)}",
                f"{noun} {rng.choice(craft.styles)}",
                f"{noun.split()[0]} {rng.choice(craft.materials).split()[0]}",
                f"{noun.split()[0]} {city}",
                rng.choice(craft.styles),
                rng.choice(craft.materials),
                f"{noun.split()[0]} {rng.choice(COLOURS)} {city}",
            ]
            text = _first_words(rng.choice(pool), 3)
            kind = "fa"
            roll = rng.random()
            if roll < 0.20:
                text = Typing(arabic=True, zwnj=True, digits="persian").apply(text)
                kind = "fa-arabic"
            elif roll < 0.45 and ZWNJ in text:
                text = text.replace(ZWNJ, "")
                kind = "fa-nozwnj"
            elif roll < 0.60 and text.split()[0] in {w.split()[0] for w in craft.nouns}:
                words = text.split()
                words[0] += rng.choice([" ها", ZWNJ + "ها", "ها", ZWNJ + "های"])
                text = _first_words(" ".join(words), 3)
                kind = "fa-plural"
        if rng.random() < 0.10:
            text = _misspell(rng, text)
            kind = "misspelt"
        args = {"q": text}
        if rng.random() < 0.35:
            choice = rng.choice(["category", "city", "price", "in_stock", "category+price"])
            if "category" in choice:
                args["category"] = rng.choice([craft.slug, craft.slug, rng.choice(categories)])
            if choice == "city":
                city = rng.choice(CITIES[:10])[0]
                args["city"] = Typing.draw(rng).apply(city) if rng.random() < 0.3 else city
            if "price" in choice:
                _, low, high = rng.choice(PRICE_BANDS)
                if rng.random() < 0.5:
                    args["min_price"] = str(low)
                if high is not None and (rng.random() < 0.7 or "min_price" not in args):
                    args["max_price"] = str(high)
            if choice == "in_stock":
                args["in_stock"] = "1"
            kind += "+filter"
        if rng.random() < 0.25:
            args["sort"] = rng.choice(["newest", "price_asc", "price_desc"])
            kind += "+sort"
        args["kind"] = kind
        queries.append(args)
    return queries
