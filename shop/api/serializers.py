"""Shapes of API answers."""

from __future__ import annotations

from flask import current_app, url_for

from shop.catalog.models import Category
from shop.i18n import current_language, format_money
from shop.listings.models import Product


def price(amount: int) -> dict:
    return {
        "amount": amount,
        "currency": current_app.config["SHOP_CURRENCY"],
        "display": format_money(amount),
    }


def category(cat: Category, with_children: bool = False) -> dict:
    data = {
        "id": cat.id,
        "slug": cat.slug,
        "name": cat.name(current_language()),
        "name_fa": cat.name_fa,
        "name_en": cat.name_en,
        "url": url_for("catalog.category", slug=cat.slug, _external=True),
    }
    if with_children:
        data["children"] = [category(child) for child in cat.children]
    return data


def variant(item) -> dict:
    """One combination of options (a listing without options has one, with none)."""
    left = item.available
    return {
        "id": item.id,
        "options": dict(item.described),
        "price": price(item.unit_price),
        "in_stock": left is None or left > 0,
        "stock_quantity": left,
    }


def product(item: Product, detailed: bool = False) -> dict:
    producer = item.producer
    low, high = item.price_range
    cooperative = producer.cooperative
    data = {
        "id": item.id,
        "title": item.title,
        "url": url_for("catalog.product", product_id=item.id, _external=True),
        "price": price(item.price),
        "category": {"slug": item.category.slug, "name": item.category.name(current_language())},
        "producer": {
            "slug": producer.slug,
            "name": producer.shop_name,
            "city": producer.city,
            "url": url_for("producers.shop", slug=producer.slug, _external=True),
        },
        "cooperative": (
            {"slug": cooperative.slug, "name": cooperative.name} if cooperative else None
        ),
        "centre": (
            {"slug": producer.centre.slug, "name": producer.centre.name}
            if producer.centre
            else None
        ),
        "images": [
            url_for("media.image", key=p.image.key, width=p.image.best_width(800), _external=True)
            for p in item.photos
        ],
        "price_range": {"min": price(low), "max": price(high)},
        "options": item.option_names,
        "variants": [variant(v) for v in item.offered_variants],
        "in_stock": item.in_stock,
        "stock_quantity": None if item.is_made_to_order else item.stock_quantity,
        "made_to_order": item.is_made_to_order,
        "lead_time_days": item.lead_time_days,
        "published_at": item.published_at.isoformat() if item.published_at else None,
    }
    if detailed:
        data.update(
            description=item.description,
            description_html=item.description_html,
            materials=item.materials,
            dimensions=item.dimensions,
            weight_grams=item.weight_grams,
        )
    return data


def _moment(value) -> str | None:
    return value.isoformat() if value is not None else None


def order(item) -> dict:
    """A buyer's order as they may see it (fee rates and producers' shares stay internal)."""
    return {
        "number": item.number,
        "status": item.status.value,
        "placed_at": _moment(item.placed_at),
        "payment_method": item.payment_method,
        "items_total": price(item.items_total),
        "shipping_total": price(item.shipping_total),
        "total": price(item.total),
        "delivery_address": {
            "recipient": item.recipient,
            "mobile": item.mobile,
            "province": item.province,
            "city": item.city,
            "street_address": item.street_address,
            "postal_code": item.postal_code,
        },
        "parcels": [
            {
                "id": parcel.id,
                "status": parcel.status.value,
                "shop": {
                    "name": parcel.producer.shop_name,
                    "url": url_for("producers.shop", slug=parcel.producer.slug, _external=True),
                },
                "shipping_method": parcel.shipping_method.value,
                "shipping_cost": price(parcel.shipping_cost),
                "items_total": price(parcel.items_total),
                "carrier": parcel.carrier,
                "tracking_code": parcel.tracking_code,
                "shipped_at": _moment(parcel.shipped_at),
                "delivered_at": _moment(parcel.delivered_at),
                "cancelled_at": _moment(parcel.cancelled_at),
                "cancel_reason": parcel.cancel_reason,
                "lines": [
                    {
                        "product_id": line.product_id,
                        "variant_id": line.variant_id,
                        "title": line.title,
                        "options": line.variant_label,
                        "unit_price": price(line.unit_price),
                        "quantity": line.quantity,
                        "subtotal": price(line.gross),
                        "made_to_order": line.is_made_to_order,
                        "lead_time_days": line.lead_time_days,
                    }
                    for line in parcel.lines
                ],
            }
            for parcel in item.parcels
        ],
    }
