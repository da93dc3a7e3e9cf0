"""Participants' photos, re-encoded: bounded before decoding, only pixels kept.

Why: ideas and feed posts carry photos from phones, and a phone's JPEG says where it was
taken (EXIF GPS), with what, and often when and by whom (XMP). A photo posted to a public
feed must not publish a participant's home. A file is also an attack surface: a few
kilobytes can declare 100,000 x 100,000 pixels (a decompression bomb), an "image" can be an
SVG or HTML page with script, and a valid GIF can carry a script after its end (a polyglot).
So nothing that was sent is ever served: only freshly encoded pixels are.

Order of checks, each before anything costlier:

1. the byte size (``too_large``);
2. the first bytes: JPEG, PNG, GIF or WebP only, recognised here by their signature and
   opened by that one Pillow plugin, never by Pillow guessing among its ~40 formats
   (``not_an_image`` for SVG, HTML, PDF, HEIC, TIFF, BMP, text...);
3. the declared width x height against ``max_pixels`` (``too_many_pixels``): read from the
   first bytes here for PNG, GIF and WebP (libwebp allocates its canvas as soon as its
   reader exists), then again from Pillow's reader of that one format, which reads headers
   only (a JPEG's size, a GIF's first frame). The plugin classes are constructed directly,
   not through ``Image.open``, so Pillow's global ``Image.MAX_IMAGE_PIXELS`` does not decide:
   a bomb is refused by this check even when it is ``None``, and JPEG, PNG and GIF within
   ``max_pixels`` are accepted even when it is lower. (Pillow's readers of WebP and of GIF
   frames still call its check; if a lowered global fires there, that is reported as
   ``too_many_pixels`` too.)
4. decoding: a large JPEG is decoded already scaled down by libjpeg (``draft``, by 1/2, 1/4
   or 1/8, never below the final size); a file that cannot be decoded to its end is
   ``broken``, never shown half grey. Pillow's global ``ImageFile.LOAD_TRUNCATED_IMAGES``
   would let it through, and WeasyPrint sets it when it is imported (the PDF reports), so it
   is held off while a picture is decoded here (under a lock: the global is the process's).

Then: the longest side is brought to at most ``max_side``, an embedded ICC profile is used
to convert to sRGB and dropped, and the EXIF orientation is applied (the transposition of
``ImageOps.exif_transpose``); these two come after scaling so they touch few pixels. The
pixels are then copied into a new image without any ``info`` before saving, so no EXIF,
GPS, XMP, comment, ICC or text chunk can survive. Opaque images become progressive JPEG
(quality 82); images with real transparency become PNG, or lossy WebP when that PNG would
exceed ``_PNG_MAX_BYTES`` (a photograph with transparency).
Animated GIF, WebP and APNG keep their first frame only (a still photo is what a post shows).

Memory: a JPEG is decoded at less than twice the final size a side; a PNG, GIF or WebP is decoded whole,
so the peak is about 4 bytes x ``max_pixels`` (160 MB at 40 million pixels). Lower
``max_pixels`` where workers are small.
"""

from __future__ import annotations

import io
import struct
import threading
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageCms, ImageFile
from PIL.GifImagePlugin import GifImageFile
from PIL.JpegImagePlugin import JpegImageFile
from PIL.PngImagePlugin import PngImageFile
from PIL.WebPImagePlugin import WebPImageFile

RefusalCode = Literal["too_large", "not_an_image", "too_many_pixels", "broken", "empty"]
ContentType = Literal["image/jpeg", "image/webp", "image/png"]

JPEG_QUALITY = 82
WEBP_QUALITY = 82
_PNG_MAX_BYTES = 1_500_000
_ORIENTATION_TAG = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.createProfile("sRGB")


class ImageRefused(ValueError):  # noqa: N818 - the name the forms and the issue use
    """The upload is not kept. ``code`` says why, for the form's message:

    ``empty``, ``too_large`` (bytes), ``not_an_image`` (not JPEG, PNG, GIF or WebP),
    ``too_many_pixels`` (declared dimensions), ``broken`` (truncated or corrupt).
    """

    def __init__(self, code: RefusalCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code: RefusalCode = code
        self.detail = detail


@dataclass(frozen=True)
class Reencoded:
    """The clean image to store and serve: new bytes, their type and size in pixels."""

    data: bytes
    content_type: ContentType
    width: int
    height: int


def _plugin_for(data: bytes) -> type[ImageFile.ImageFile] | None:
    """The one Pillow reader for these bytes' signature, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JpegImageFile
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PngImageFile
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GifImageFile
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return WebPImageFile
    return None


def _declared_size(data: bytes) -> tuple[int, int] | None:
    """Width and height as the file's first bytes declare them, read here rather than by
    Pillow because libwebp allocates its whole canvas as soon as its reader is created.
    None when the header is too short or malformed to say."""
    try:
        if data.startswith(b"\xff\xd8"):
            return None  # JPEG: the size is in a SOF segment anywhere; Pillow reads it lazily
        if data.startswith(b"\x89PNG") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        if data.startswith(b"GIF"):
            width, height = struct.unpack("<HH", data[6:10])
            return int(width), int(height)
        chunk = data[12:16]
        if chunk == b"VP8X":
            return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(
                data[27:30], "little"
            )
        if chunk == b"VP8L" and data[20] == 0x2F:
            bits = int.from_bytes(data[21:25], "little")
            return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
            width, height = struct.unpack("<HH", data[26:30])
            return int(width) & 0x3FFF, int(height) & 0x3FFF
    except (struct.error, IndexError):
        return None
    return None


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise ImageRefused("broken", "no pixels")
    if width * height > max_pixels:
        raise ImageRefused("too_many_pixels", f"{width} x {height} pixels")


def _open(data: bytes, max_pixels: int) -> ImageFile.ImageFile:
    """Check the declared size, then read the header with the format's own reader; no pixel
    is decoded here. The size is checked again once read (a GIF's first frame may be
    larger than its screen, a JPEG's size is known only now)."""
    plugin = _plugin_for(data)
    if plugin is None:
        raise ImageRefused("not_an_image", "not a JPEG, PNG, GIF or WebP file")
    declared = _declared_size(data)
    if declared is not None:
        _check_pixels(declared, max_pixels)
    elif plugin is WebPImageFile:
        raise ImageRefused("broken", "unreadable WebP header")
    try:
        image = plugin(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageRefused("too_many_pixels", str(exc)) from exc
    except Exception as exc:  # any failure to read an untrusted header is a refusal
        raise ImageRefused("broken", f"{type(exc).__name__}: {exc}") from exc
    _check_pixels(image.size, max_pixels)
    return image


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1-8), 1 when absent or unreadable: a malformed EXIF block
    costs the photo its rotation, not its upload."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # untrusted EXIF: any parse failure means "no orientation"
        value = 1
    return value if isinstance(value, int) and value in _TRANSPOSE else 1


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def _to_srgb(image: Image.Image, icc: bytes, mode: str) -> Image.Image:
    """Convert from an embedded profile (a phone's Display P3, a camera's Adobe RGB, a
    printer's CMYK) to sRGB in ``mode``, so colours stay right once the profile is dropped;
    a profile that does not fit or cannot be read is ignored (and dropped all the same)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except Exception:  # an untrusted or odd profile: keep the pixels as they are
        return image
    return converted if converted is not None else image


def _fit(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The size with the longest side at ``max_side``, the aspect ratio kept."""
    scale = max_side / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


_TRUNCATED_LOCK = threading.Lock()


def _decode(image: ImageFile.ImageFile, max_side: int) -> Image.Image:
    """Decode to RGB or RGBA, scaled so the longest side is at most ``max_side``."""
    orientation = _orientation(image)
    icc = image.info.get("icc_profile")
    icc = icc if isinstance(icc, bytes) and icc else None
    try:
        if isinstance(image, JpegImageFile) and max(image.size) > max_side:
            # libjpeg scales by 1/2, 1/4 or 1/8 while decoding, never below the final size.
            image.draft("RGB", _fit(image.size, max_side))
        image.load()
        decoded: Image.Image = image
        alpha = _has_alpha(decoded)
        if decoded.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
            # 16-bit or float greyscale: 8 bits is the only depth published.
            decoded = decoded.convert("I").point(lambda v: v / 257).convert("L")
        if decoded.mode == "CMYK" and icc is not None:
            decoded, icc = _to_srgb(decoded, icc, "RGB"), None
        pixels = decoded.convert("RGBA" if alpha else "RGB")
    except Image.DecompressionBombError as exc:
        raise ImageRefused("too_many_pixels", str(exc)) from exc
    except Exception as exc:  # truncated, corrupt, unsupported variant: all refusals
        raise ImageRefused("broken", f"{type(exc).__name__}: {exc}") from exc
    if pixels.mode == "RGBA":
        alpha_band = pixels.getchannel("A").getextrema()
        if alpha_band[0] == 255:  # declared transparency, every pixel opaque
            pixels = pixels.convert("RGB")
    if max(pixels.size) > max_side:
        pixels = pixels.resize(
            _fit(pixels.size, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
    if icc is not None:  # after scaling: the colour transform then touches few pixels
        pixels = _to_srgb(pixels, icc, pixels.mode)
    if orientation != 1:
        pixels = pixels.transpose(_TRANSPOSE[orientation])
    # A new image from the pixels alone: no info dict, so no metadata reaches the encoder.
    return Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())


def _encode(pixels: Image.Image) -> tuple[bytes, ContentType]:
    out = io.BytesIO()
    if pixels.mode == "RGB":
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
        return out.getvalue(), "image/jpeg"
    # A fast PNG first says whether the image is a drawing (PNG wins) or a photograph
    # with transparency (PNG would be megabytes; the slower level 6 is not worth trying).
    pixels.save(out, "PNG", compress_level=1)
    if out.tell() <= 2 * _PNG_MAX_BYTES:
        out = io.BytesIO()
        pixels.save(out, "PNG", compress_level=6)
        if out.tell() <= _PNG_MAX_BYTES:
            return out.getvalue(), "image/png"
    out = io.BytesIO()
    pixels.save(out, "WEBP", quality=WEBP_QUALITY, method=4, exact=False)
    return out.getvalue(), "image/webp"


def reencode_image(
    data: bytes,
    *,
    max_bytes: int = 8_000_000,
    max_pixels: int = 40_000_000,
    max_side: int = 1600,
) -> Reencoded:
    """Return the upload as a clean image, or raise ``ImageRefused`` with a code.

    Byte size and declared dimensions are checked before any pixel is decoded; see the
    module's docstring for the order and what is kept (pixels only).
    """
    if not data:
        raise ImageRefused("empty")
    if len(data) > max_bytes:
        raise ImageRefused("too_large", f"{len(data)} bytes, at most {max_bytes}")
    # Every read of the file, from its header to its last pixel (a PNG's EXIF is read by
    # decoding it), with truncated files refused whatever the process's setting.
    with _TRUNCATED_LOCK:
        allowed = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image = _open(data, max_pixels)
            try:
                pixels = _decode(image, max_side)
            finally:
                image.close()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = allowed
    encoded, content_type = _encode(pixels)
    return Reencoded(encoded, content_type, pixels.width, pixels.height)
