from flask import Blueprint, abort, send_file

from shop.media.services import image_store
from shop.media.storage import KEY_PATTERN

bp = Blueprint("media", __name__)


@bp.get("/media/<key>-<int:width>.webp")
def image(key: str, width: int):
    if not KEY_PATTERN.match(key):
        abort(404)
    path = image_store().path(key, width)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=31536000, conditional=True)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
