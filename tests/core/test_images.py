"""Participants' photos: only fresh pixels come out, and bad files are refused cheaply.

Images are made here with Pillow (real JPEG/PNG/GIF/WebP files with real EXIF GPS, XMP,
comments and text chunks), headers are forged for the decompression bombs, and each result
is reopened to check what it really contains.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms, ImageOps
from PIL.PngImagePlugin import PngInfo

from platsa.core.io.images import ImageRefused, Reencoded, reencode_image

RED, GREEN, BLUE, WHITE = (220, 20, 20), (20, 200, 20), (20, 20, 220), (250, 250, 250)


def _save(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _reopen(result: Reencoded) -> Image.Image:
    image = Image.open(io.BytesIO(result.data))
    image.load()
    return image


def _quadrants(width: int = 240, height: int = 160) -> Image.Image:
    """Four colours, one a quarter: where each ends up tells the transposition."""
    image = Image.new("RGB", (width, height), WHITE)
    image.paste(RED, (0, 0, width // 2, height // 2))
    image.paste(GREEN, (width // 2, 0, width, height // 2))
    image.paste(BLUE, (0, height // 2, width // 2, height))
    return image


def _corners(image: Image.Image) -> list[tuple[int, ...]]:
    w, h = image.size
    rgb = image.convert("RGB")
    return [
        tuple(rgb.getpixel((x, y)))  # type: ignore[arg-type]
        for x, y in ((w // 8, h // 8), (w - w // 8, h // 8), (w // 8, h - h // 8))
    ]


def _close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _phone_jpeg(orientation: int = 1, size: tuple[int, int] = (240, 160)) -> bytes:
    """A JPEG as a phone writes it: EXIF with maker, date, orientation and GPS, plus XMP and
    a comment that carries markup."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15"
    exif[ExifTags.Base.DateTime] = "2026:06:21 03:14:15"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (63.0, 5.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (16.0, 23.0, 1.0)
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'photoshop:City="Hammarstrand" dc:creator="Anna Andersson"/></rdf:RDF></x:xmpmeta>'
    )
    return _save(
        _quadrants(*size),
        "JPEG",
        quality=95,
        exif=exif,
        xmp=xmp,
        comment=b"<html><script>alert(1)</script></html>",
    )


def test_the_phone_jpeg_really_carries_gps_xmp_and_a_comment() -> None:
    """The fixture is what it claims, so the next test can fail."""
    image = Image.open(io.BytesIO(_phone_jpeg()))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (
        63.0,
        5.0,
        12.5,
    )
    assert "xmp" in image.info
    assert b"script" in image.info["comment"]


def test_all_metadata_is_stripped_from_a_phone_jpeg() -> None:
    result = reencode_image(_phone_jpeg())
    assert result.content_type == "image/jpeg"
    image = _reopen(result)
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    for key in ("exif", "xmp", "comment", "icc_profile", "photoshop"):
        assert key not in image.info
    for needle in (b"Exif", b"Apple", b"iPhone", b"2026:06", b"Hammarstrand", b"Anna", b"script"):
        assert needle not in result.data
    assert (result.width, result.height) == image.size == (240, 160)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_as_pillow_would(orientation: int) -> None:
    data = _phone_jpeg(orientation)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    image = _reopen(reencode_image(data))
    assert image.size == expected.size
    for got, want in zip(_corners(image), _corners(expected), strict=True):
        assert _close(got, want), (orientation, got, want)


def test_orientation_six_turns_a_landscape_sensor_image_upright() -> None:
    image = _reopen(reencode_image(_phone_jpeg(6)))
    assert image.size == (160, 240)
    top_left, top_right, bottom_left = _corners(image)
    # Rotated 90° clockwise: the stored left column (red over blue) is the top row.
    assert _close(top_left, BLUE)
    assert _close(top_right, RED)
    assert _close(bottom_left, WHITE)


def test_orientation_and_resize_together_keep_the_longest_side_bounded() -> None:
    result = reencode_image(_phone_jpeg(6, size=(4000, 3000)), max_side=1600)
    assert (result.width, result.height) == (1200, 1600)
    assert _reopen(result).size == (1200, 1600)


@pytest.mark.parametrize(
    ("size", "expected"),
    [((4000, 3000), (1600, 1200)), ((1000, 5000), (320, 1600)), ((800, 600), (800, 600))],
)
def test_longest_side_is_at_most_max_side(size: tuple[int, int], expected: tuple[int, int]) -> None:
    for fmt in ("JPEG", "PNG"):
        result = reencode_image(_save(_quadrants(*size), fmt), max_side=1600)
        assert (result.width, result.height) == expected
        image = _reopen(result)
        assert image.size == expected
        assert all(_close(a, b) for a, b in zip(_corners(image), (RED, GREEN, BLUE), strict=True))


def test_too_many_bytes_is_refused_before_anything_is_read() -> None:
    with pytest.raises(ImageRefused) as caught:
        reencode_image(b"\xff\xd8\xff" + b"\0" * 2_000, max_bytes=1_000)
    assert caught.value.code == "too_large"


def test_empty_upload_is_refused() -> None:
    with pytest.raises(ImageRefused) as caught:
        reencode_image(b"")
    assert caught.value.code == "empty"


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header declaring ``width x height`` 8-bit grey pixels, in about 1 KB."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\0" * (width + 1) * 10))
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_bomb() -> bytes:
    data = bytearray(_save(Image.new("RGB", (16, 16)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 65_000, 65_000)
    return bytes(data)


def _gif_bomb() -> bytes:
    data = bytearray(_save(Image.new("P", (16, 16)), "GIF"))
    struct.pack_into("<HH", data, 6, 65_535, 65_535)  # the logical screen
    return bytes(data)


def _gif_frame_bomb() -> bytes:
    data = bytearray(_save(Image.new("P", (16, 16)), "GIF"))
    descriptor = data.index(b",")
    struct.pack_into("<HH", data, descriptor + 5, 65_535, 65_535)  # the first frame
    return bytes(data)


def _webp_bomb() -> bytes:
    data = bytearray(_save(Image.new("RGB", (16, 16)), "WEBP", lossless=True))
    assert data[12:16] == b"VP8L"
    bits = int.from_bytes(data[21:25], "little") & ~((1 << 28) - 1)
    bits |= (16_383 - 1) | ((16_383 - 1) << 14)  # 14-bit width-1 and height-1
    data[21:25] = bits.to_bytes(4, "little")
    return bytes(data)


BOMBS = {
    "png": _png_bomb,
    "jpeg": _jpeg_bomb,
    "gif-screen": _gif_bomb,
    "gif-frame": _gif_frame_bomb,
    "webp": _webp_bomb,
}


@pytest.mark.parametrize("name", BOMBS)
def test_decompression_bombs_are_refused_fast(name: str) -> None:
    data = BOMBS[name]()
    assert len(data) < 10_000
    start = time.process_time()
    with pytest.raises(ImageRefused) as caught:
        reencode_image(data)
    assert time.process_time() - start < 0.5
    assert caught.value.code == "too_many_pixels"


@pytest.mark.parametrize("name", ["png", "jpeg", "gif-screen", "webp"])
def test_bombs_are_refused_with_pillows_own_limit_switched_off(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(ImageRefused) as caught:
        reencode_image(BOMBS[name]())
    assert caught.value.code == "too_many_pixels"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF"])
def test_pillows_global_limit_does_not_refuse_what_ours_allows(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    result = reencode_image(_save(_quadrants(800, 600), fmt))
    assert (result.width, result.height) == (800, 600)


def test_a_webp_bomb_is_refused_before_libwebp_allocates_its_canvas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import _webp

    def _no_decoder(data: bytes) -> None:
        raise AssertionError("the WebP decoder was created")

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    monkeypatch.setattr(_webp, "WebPAnimDecoder", _no_decoder)
    with pytest.raises(ImageRefused) as caught:
        reencode_image(_webp_bomb())
    assert caught.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    ("fmt", "params"),
    [("PNG", {}), ("GIF", {}), ("WEBP", {"lossless": True}), ("WEBP", {"lossless": False})],
    ids=["png", "gif", "webp-lossless", "webp-lossy"],
)
def test_declared_sizes_are_read_right(fmt: str, params: dict[str, object]) -> None:
    """The size read from the first bytes is the real one: a limit one pixel under it
    refuses, a limit at it accepts (lossy and lossless WebP have different headers)."""
    data = _save(_quadrants(321, 123), fmt, **params)
    with pytest.raises(ImageRefused) as caught:
        reencode_image(data, max_pixels=321 * 123 - 1)
    assert caught.value.code == "too_many_pixels"
    assert reencode_image(data, max_pixels=321 * 123).width == 321


def test_our_pixel_limit_is_the_one_that_holds() -> None:
    data = _save(Image.new("L", (2_000, 2_000)), "PNG")
    with pytest.raises(ImageRefused) as caught:
        reencode_image(data, max_pixels=1_000_000)
    assert caught.value.code == "too_many_pixels"
    assert reencode_image(data, max_pixels=4_000_000).width == 1_600


def test_a_bomb_is_refused_without_allocating_its_pixels() -> None:
    """In a fresh interpreter, so the peak resident size measures this call alone: the 10
    GB a 100,000 x 100,000 grey image would take, not even 50 MB of it."""
    script = (
        "import json, resource, sys, time\n"
        "from platsa.core.io.images import ImageRefused, reencode_image\n"
        "data = sys.stdin.buffer.read()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "start = time.process_time()\n"
        "try:\n"
        "    reencode_image(data)\n"
        "    code = None\n"
        "except ImageRefused as exc:\n"
        "    code = exc.code\n"
        "seconds = time.process_time() - start\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'code': code, 'seconds': seconds, 'kb': after - before}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=_png_bomb(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    measured = json.loads(done.stdout)
    assert measured["code"] == "too_many_pixels"
    assert measured["seconds"] < 0.5
    assert measured["kb"] < 50_000


@pytest.mark.parametrize(
    "data",
    [
        b"Hello, this is a text file renamed to photo.jpg\n",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
        b"PK\x03\x04" + b"\0" * 40,
        _save(Image.new("RGB", (10, 10)), "BMP"),
        _save(Image.new("RGB", (10, 10)), "TIFF"),
        _save(Image.new("RGB", (10, 10)), "ICO"),
    ],
    ids=["text", "svg", "svg-xml", "html", "pdf", "heic", "zip", "bmp", "tiff", "ico"],
)
def test_what_is_not_jpeg_png_gif_or_webp_is_refused(data: bytes) -> None:
    with pytest.raises(ImageRefused) as caught:
        reencode_image(data)
    assert caught.value.code == "not_an_image"


@pytest.mark.parametrize(
    ("fmt", "keep"),
    [("JPEG", 0.5), ("JPEG", 0.05), ("PNG", 0.5), ("GIF", 0.5), ("WEBP", 0.5)],
)
def test_truncated_files_are_refused_cleanly(fmt: str, keep: float) -> None:
    full = _save(_quadrants(800, 600).effect_spread(5), fmt)
    with pytest.raises(ImageRefused) as caught:
        reencode_image(full[: int(len(full) * keep)])
    assert caught.value.code == "broken"


def test_a_signature_alone_is_broken_not_a_crash() -> None:
    for data in (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"RIFF\0\0\0\0WEBP"):
        with pytest.raises(ImageRefused) as caught:
            reencode_image(data)
        assert caught.value.code == "broken"


def test_gif_with_a_script_appended_comes_out_as_pixels_only() -> None:
    polyglot = _save(_quadrants(), "GIF") + b"<script>alert(document.cookie)</script>"
    result = reencode_image(polyglot)
    assert b"script" not in result.data
    image = _reopen(result)
    assert image.format == "JPEG"
    assert _close(_corners(image)[0], RED)


def test_jpeg_with_html_in_its_comment_comes_out_clean() -> None:
    polyglot = _save(_quadrants(), "JPEG", comment=b"<html><body onload=alert(1)>")
    assert b"onload" in polyglot
    result = reencode_image(polyglot)
    assert b"onload" not in result.data
    assert "comment" not in _reopen(result).info


def test_png_text_chunks_and_exif_are_stripped() -> None:
    info = PngInfo()
    info.add_text("Author", "Anna Andersson")
    info.add_itxt("Description", "<script>alert(1)</script>", zip=True)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    data = _save(_quadrants().convert("RGBA"), "PNG", pnginfo=info, exif=exif)
    result = reencode_image(data)
    assert b"Anna" not in result.data
    assert b"Canon" not in result.data
    image = _reopen(result)
    assert dict(image.getexif()) == {}
    assert "Author" not in image.info
    assert "Description" not in image.info


def test_png_with_real_transparency_keeps_it() -> None:
    image = Image.new("RGBA", (200, 100), (*RED, 255))
    image.paste((0, 0, 0, 0), (100, 0, 200, 100))
    result = reencode_image(_save(image, "PNG"))
    assert result.content_type == "image/png"
    out = _reopen(result)
    assert out.format == "PNG"
    assert out.mode == "RGBA"
    assert out.getpixel((20, 50)) == (*RED, 255)
    pixel = out.getpixel((180, 50))
    assert isinstance(pixel, tuple)
    assert pixel[3] == 0


def test_png_with_an_opaque_alpha_channel_becomes_jpeg() -> None:
    result = reencode_image(_save(_quadrants().convert("RGBA"), "PNG"))
    assert result.content_type == "image/jpeg"


def test_large_transparent_photo_is_webp_with_its_alpha() -> None:
    """A noisy 1600 x 1600 RGBA image would be a PNG of many megabytes: lossy WebP keeps
    its transparency at a fraction of that."""
    noise = Image.effect_noise((1600, 1600), 30).convert("RGB")
    alpha = Image.linear_gradient("L").resize((1600, 1600))
    noise.putalpha(alpha)
    png = _save(noise, "PNG")
    assert len(png) > 3_000_000
    result = reencode_image(png, max_bytes=50_000_000)
    assert result.content_type == "image/webp"
    assert len(result.data) < len(png) / 2
    out = _reopen(result)
    assert out.format == "WEBP"
    assert out.mode == "RGBA"
    top = out.getpixel((800, 5))
    bottom = out.getpixel((800, 1594))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[3] < 20
    assert bottom[3] > 235


def test_gif_is_accepted_with_its_colours() -> None:
    result = reencode_image(_save(_quadrants(), "GIF"))
    image = _reopen(result)
    assert (result.width, result.height) == (240, 160)
    for got, want in zip(_corners(image), (RED, GREEN, BLUE), strict=True):
        assert _close(got, want)


def test_transparent_gif_keeps_its_transparency() -> None:
    image = Image.new("P", (100, 100), 0)
    image.putpalette([*RED, *BLUE] + [0] * 762)
    image.paste(1, (50, 0, 100, 100))
    result = reencode_image(_save(image, "GIF", transparency=1))
    assert result.content_type == "image/png"
    out = _reopen(result)
    left, right = out.getpixel((10, 10)), out.getpixel((90, 10))
    assert isinstance(left, tuple)
    assert isinstance(right, tuple)
    assert left == (*RED, 255)
    assert right[3] == 0


def test_animated_gif_keeps_its_first_frame() -> None:
    frames = [Image.new("RGB", (60, 40), colour) for colour in (RED, GREEN, BLUE)]
    data = _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 3
    image = _reopen(reencode_image(data))
    assert getattr(image, "n_frames", 1) == 1
    assert _close(_corners(image)[0], RED)


def test_webp_is_accepted() -> None:
    result = reencode_image(_save(_quadrants(), "WEBP", quality=90))
    assert result.content_type == "image/jpeg"
    assert _close(_corners(_reopen(result))[1], GREEN)


def test_cmyk_jpeg_comes_out_as_rgb() -> None:
    result = reencode_image(_save(_quadrants().convert("CMYK"), "JPEG"))
    image = _reopen(result)
    assert image.mode == "RGB"
    assert _close(_corners(image)[2], BLUE, tolerance=60)


def test_sixteen_bit_grey_png_is_scaled_to_eight_bits() -> None:
    image = Image.new("I;16", (64, 64), 65_535)
    image.paste(0, (0, 0, 32, 64))
    out = _reopen(reencode_image(_save(image, "PNG")))
    dark, light = out.getpixel((8, 8)), out.getpixel((56, 8))
    assert isinstance(dark, tuple)
    assert isinstance(light, tuple)
    assert max(dark) < 10
    assert min(light) > 245


@pytest.mark.parametrize(
    "icc",
    [ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(), b"not a profile"],
    ids=["srgb", "garbage"],
)
def test_icc_profiles_are_used_then_dropped(icc: bytes) -> None:
    result = reencode_image(_save(_quadrants(), "JPEG", icc_profile=icc))
    image = _reopen(result)
    assert "icc_profile" not in image.info
    assert _close(_corners(image)[0], RED)


def test_result_is_a_valid_image_of_the_stated_type() -> None:
    types = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
    result = reencode_image(_phone_jpeg())
    image = Image.open(io.BytesIO(result.data))
    image.verify()
    assert types[str(image.format)] == result.content_type


def test_a_phone_photo_is_reencoded_in_reasonable_time() -> None:
    """12 megapixels, gradients under noise: measured about 0.2 s here."""
    gradient = Image.linear_gradient("L").resize((4000, 3000))
    noise = Image.effect_noise((4000, 3000), 20)
    photo = Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.ROTATE_180)))
    data = _save(photo, "JPEG", quality=90)
    assert len(data) < 8_000_000
    start = time.process_time()
    result = reencode_image(data)
    assert time.process_time() - start < 3.0
    assert (result.width, result.height) == (1600, 1200)


def test_truncated_files_are_refused_even_after_weasyprint_is_imported() -> None:
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES when imported (the PDF reports): a
    cut-off photo must still be refused, and the global is left as it was."""
    import weasyprint  # noqa: F401 - imported for its side effect on Pillow
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    for fmt in ("JPEG", "PNG", "GIF", "WEBP"):
        full = _save(_quadrants(800, 600).effect_spread(5), fmt)
        with pytest.raises(ImageRefused) as caught:
            reencode_image(full[: len(full) // 2])
        assert caught.value.code == "broken", fmt
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
