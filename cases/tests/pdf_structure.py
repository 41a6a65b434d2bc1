"""Reading a PDF's accessibility structure back with pypdf (tests only): the catalog's
/MarkInfo, /StructTreeRoot and /Lang, and the structure types in the tag tree."""

import io

from pypdf import PdfReader


def structure(data: bytes) -> dict:
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    types: list[str] = []

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child, depth)
            return
        if not hasattr(node, "get"):
            return  # a marked-content id (an integer) at the leaves
        if "/S" in node:
            types.append(str(node["/S"]))
        if "/K" in node and depth < 60:
            walk(node["/K"], depth + 1)

    root = catalog.get("/StructTreeRoot")
    if root is not None:
        walk(root.get_object().get("/K", []))
    mark_info = catalog.get("/MarkInfo")
    viewer = catalog.get("/ViewerPreferences")
    return {
        "marked": bool(mark_info and mark_info.get_object().get("/Marked")),
        "has_structure_tree": root is not None,
        "lang": str(catalog.get("/Lang", "")),
        "title": reader.metadata.title if reader.metadata else None,
        "display_title": bool(viewer and viewer.get_object().get("/DisplayDocTitle")),
        "types": types,
        "ua_metadata": b"pdfuaid" in data or _xmp_has_ua(catalog),
    }


def _xmp_has_ua(catalog) -> bool:
    metadata = catalog.get("/Metadata")
    return bool(metadata) and b"pdfuaid" in metadata.get_object().get_data()


def assert_accessible_pdf(data: bytes, title: str | None = None) -> dict:
    """PDF/UA-1 as far as a test can tell: tagged, a structure tree with headings, the
    language Swedish, the title shown instead of the file name, the PDF/UA identifier."""
    found = structure(data)
    assert found["marked"], "MarkInfo /Marked true saknas"
    assert found["has_structure_tree"], "StructTreeRoot saknas"
    assert found["lang"] == "sv", found["lang"]
    assert found["display_title"], "ViewerPreferences /DisplayDocTitle saknas"
    assert found["ua_metadata"], "PDF/UA-identifieraren saknas i XMP"
    assert "/H1" in found["types"], found["types"]
    if title is not None:
        assert found["title"] == title
    return found
