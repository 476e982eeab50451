"""Reader for OME-XML (`.ome.xml`, `.companion.ome`): image dimensions, pixel sizes, instrument.

Parsed with a hardened lxml parser (no entities, no network) and read namespace-agnostically,
so every OME schema year (2015-01, 2016-06, ...) works without an upgrade step. Units follow
the OME defaults when the attributes are absent (µm for lengths, s for time) and every size
goes through `normalize.pixel_size`, which flags the 1/72-inch TIFF default and other
implausible values. Each finding names the element as an XPath-like path plus its line.

One OME-XML file becomes one Project (title: the file name, said in an INFO finding) with one
Dataset per `Image`: `datasets/ome-{file}-{image id}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg_service.findings import Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.ids import dataset_id, part_id, project_id, slug
from kg_service.ingest.peer_common import Collector, parse_xml, quantity, xml_path
from kg_service.model import Dataset, ImageAcquisition, ImageData, Instrument, Project, Quantity
from kg_service.normalize import parse_quantity, pixel_size


def _local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if isinstance(child.tag, str) and _local(child) == name]


def _where(out: Collector, element: Any, attribute: str | None = None) -> Any:
    path = xml_path(element) + (f"/@{attribute}" if attribute else "")
    return out.at(line=element.sourceline, field=path)


def _int(element: Any, name: str, out: Collector) -> int | None:
    text = element.get(name)
    if text is None:
        return None
    if text.strip().isdigit():
        return int(text)
    out.add(
        Severity.WARNING, f"{name} is not a whole number", _where(out, element, name), value=text
    )
    return None


def _size(pixels: Any, axis: str, record_id: str, out: Collector) -> Quantity | None:
    value = pixels.get(f"PhysicalSize{axis}")
    if value is None:
        return None
    parsed, problem = pixel_size(value, pixels.get(f"PhysicalSize{axis}Unit"))
    if problem:
        severity = Severity.WARNING if parsed else Severity.VIOLATION
        out.add(
            severity,
            f"PhysicalSize{axis}: {problem}",
            _where(out, pixels, f"PhysicalSize{axis}"),
            value=value,
        )
    if parsed is None or (problem and "positive" in problem):
        return None
    return quantity(part_id(record_id, f"physical-size-{axis.lower()}"), parsed)


def _time(pixels: Any, record_id: str, out: Collector) -> Quantity | None:
    value = pixels.get("TimeIncrement")
    if value is None:
        return None
    unit = pixels.get("TimeIncrementUnit") or "s"
    parsed = parse_quantity(f"{value} {unit}")
    if parsed is None:
        out.add(
            Severity.WARNING,
            "TimeIncrement has no usable unit",
            _where(out, pixels, "TimeIncrement"),
            value=value,
        )
        return None
    return quantity(part_id(record_id, "time-interval"), parsed)


def _image_data(pixels: Any, record_id: str, out: Collector) -> ImageData:
    return build_record(
        ImageData,
        id=record_id,
        axes=pixels.get("DimensionOrder"),
        size_x=_int(pixels, "SizeX", out),
        size_y=_int(pixels, "SizeY", out),
        size_z=_int(pixels, "SizeZ", out),
        size_c=_int(pixels, "SizeC", out),
        size_t=_int(pixels, "SizeT", out),
        physical_size_x=_size(pixels, "X", record_id, out),
        physical_size_y=_size(pixels, "Y", record_id, out),
        physical_size_z=_size(pixels, "Z", record_id, out),
        time_interval=_time(pixels, record_id, out),
        file_format="OME-XML",
    )


def _describe(element: Any, *names: str) -> str | None:
    parts = [f"{name} {element.get(name)}" for name in names if element.get(name)]
    return ", ".join(parts) or None


def _instrument(root: Any, image: Any, record_id: str) -> Instrument | None:
    """The Instrument the image refers to: microscope, objective (magnification/NA), detector."""
    refs = _children(image, "InstrumentRef")
    wanted = refs[0].get("ID") if refs else None
    instruments = _children(root, "Instrument")
    chosen = next((i for i in instruments if i.get("ID") == wanted), None)
    if chosen is None:
        return None
    microscope = next(iter(_children(chosen, "Microscope")), None)
    objective = next(iter(_children(chosen, "Objective")), None)
    detector = next(iter(_children(chosen, "Detector")), None)
    lights = [ls.get("Model") for ls in _children(chosen, "LightSource") if ls.get("Model")]
    return build_record(
        Instrument,
        id=record_id,
        microscope=_describe(microscope, "Manufacturer", "Model", "Type")
        if microscope is not None
        else None,
        objective=_describe(
            objective,
            "Manufacturer",
            "Model",
            "NominalMagnification",
            "LensNA",
            "Immersion",
            "Correction",
        )
        if objective is not None
        else None,
        detector=_describe(detector, "Manufacturer", "Model", "Type")
        if detector is not None
        else None,
        light_source=", ".join(lights) or None,
    )


def _dataset(root: Any, image: Any, project_key: str, index: int, out: Collector) -> Dataset:
    local = image.get("ID") or f"image-{index}"
    did = dataset_id(project_key, local)
    pixels = next(iter(_children(image, "Pixels")), None)
    image_data = []
    if pixels is None:
        out.add(Severity.WARNING, "Image has no Pixels element", _where(out, image))
    else:
        image_data.append(_image_data(pixels, part_id(did, "image-data"), out))
    instrument = _instrument(root, image, part_id(did, "image-acquisition/instrument"))
    acquisitions = (
        [
            build_record(
                ImageAcquisition, id=part_id(did, "image-acquisition"), instrument=instrument
            )
        ]
        if instrument
        else []
    )
    out.stored(did, "title", _where(out, image))
    return build_record(
        Dataset,
        id=did,
        title=image.get("Name") or local,
        description=next((d.text for d in _children(image, "Description") if d.text), None),
        kind="image",
        image_data=image_data,
        image_acquisitions=acquisitions,
    )


def read_ome_xml(path: Path) -> ReadResult:
    """Read an OME-XML document into a Project with one Dataset per Image."""
    out = Collector(str(path))
    tree = parse_xml(path, out)
    if tree is None:
        return ReadResult(findings=out.findings)
    root = tree.getroot()
    if _local(root) != "OME":
        out.add(
            Severity.VIOLATION, f"root element is <{_local(root)}>, not <OME>", _where(out, root)
        )
        return ReadResult(findings=out.findings)
    name = path.name.split(".")[0]
    key = f"ome-{slug(name)}"
    images = _children(root, "Image")
    if not images:
        out.add(Severity.WARNING, "the document has no Image element", _where(out, root))
    out.add(
        Severity.INFO,
        "OME-XML has no study title; the file name is used",
        out.at(field="title"),
        value=name,
    )
    project = build_record(
        Project,
        id=project_id(key),
        title=name,
        accession=path.name,
        datasets=[_dataset(root, image, key, i, out) for i, image in enumerate(images, start=1)],
    )
    return ReadResult([project], out.findings, out.source_map)
