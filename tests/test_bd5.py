"""BD5 reader: real files give the expected summary, invalid files give located findings.

The real files and bd5lint fixtures are copied in tests/data/bd5 (GPL-3.0, see SOURCES.md).
Expected values come from shared/notes/ssbd.md section (c), checked there with h5py/bd5lint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import openpyxl
import pytest

from kg_service.findings import Finding, Severity
from kg_service.ingest import ReadResult
from kg_service.ingest.bd5 import (
    MAX_TABLE_BYTES,
    MEDIA_TYPE,
    Bd5Result,
    default_rules,
    read_bd5,
    read_bd5_result,
)

DATA = Path(__file__).parent / "data" / "bd5"
REAL = DATA / "081505_L1_bd5.h5"
SAMPLES = DATA / "samples"
LINT = DATA / "lint"
MICROMETER = "http://purl.obolibrary.org/obo/UO_0000017"
MINUTE = "http://purl.obolibrary.org/obo/UO_0000031"


def violations(result: Bd5Result) -> list[Finding]:
    return [f for f in result.findings if f.severity is Severity.VIOLATION]


def located(findings: Iterable[Finding]) -> set[tuple[str, str | None]]:
    return {(f.severity.value, f.location.hdf5_path) for f in findings}


# --- rules file ----------------------------------------------------------------------------


def _cells(text: Any) -> set[str]:
    return {part.strip() for part in str(text or "").split(",") if part.strip()}


def test_rules_file_matches_bd5lint_spreadsheet() -> None:
    """loaders/bd5_rules.yaml must say what dimension_entity.xlsx says (one documented fix)."""
    sheet = openpyxl.load_workbook(LINT / "dimension_entity.xlsx", read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    rules = default_rules()
    by_dimension: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        if row[0]:
            by_dimension.setdefault(str(row[0]).strip(), []).append(row)
    assert set(by_dimension) == set(rules.dimensions)
    for name, dim_rows in by_dimension.items():
        rule = rules.dimensions[name]
        allowed = set().union(*(_cells(r[2]) for r in dim_rows))
        assert rule.entities == allowed, name
        assert set(rule.scale_unit.required) == _cells(dim_rows[0][4]), name
        assert set(rule.scale_unit.not_applicable) == _cells(dim_rows[0][3]), name
        assert set(rule.object.optional) == _cells(dim_rows[0][8]), name
        first_required = _cells(dim_rows[0][7])
        assert set(rule.object.required) == first_required, name
        for row in dim_rows[1:]:  # the circle/sphere row: same plus the entity's columns
            expected = set(rule.object.required) | {"radius"}
            if name == "3D+T":  # upstream typo: "x, y, t, radius" without z
                expected.discard("z")
            assert _cells(row[7]) == expected, name
    assert rules.entity_columns == {"circle": ("radius",), "sphere": ("radius",)}


# --- the real dataset ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Bd5Result:
    return read_bd5(REAL, "analysed-data/ssbd-1-081505")


def test_real_embryo_summary(real: Bd5Result) -> None:
    summary = real.summary
    assert summary is not None
    assert real.findings == []
    assert summary.dimension == "3D+T"
    assert summary.time_points == 195
    assert summary.objects_per_entity == {"sphere": 23_980}
    assert summary.object_count == summary.row_count == 23_980
    assert summary.track_link_count == 23_975
    assert summary.division_count == 358
    assert (summary.x_scale, summary.y_scale, summary.z_scale) == (0.09, 0.09, 1.0)
    assert summary.space_unit == "micrometer"
    assert (summary.t_scale, summary.time_unit) == (1.0, "minute")
    assert summary.object_defs == {0: "nucleus"}
    assert summary.feature_defs[0].name == "totalGFPsignal"
    assert summary.feature_defs[0].unit == "intensity"
    assert summary.label_count == 721
    assert "ABal" in summary.label_sample
    assert len(summary.label_sample) <= 20


def test_real_embryo_model_objects(real: Bd5Result) -> None:
    data, file = real.analysed_data, real.data_file
    assert data is not None and file is not None
    assert data.id == "analysed-data/ssbd-1-081505"
    assert data.data_format == "BD5"
    assert data.spatial_dimension == "3D+T"
    assert (data.time_points, data.object_count) == (195, 23_980)
    assert (data.track_count, data.division_count) == (23_975, 358)
    assert data.entity_types == ["sphere"]
    assert data.object_names == ["nucleus"]
    assert data.feature_names == ["totalGFPsignal"]
    size_x = data.physical_size_x
    assert size_x is not None
    assert size_x.value == Decimal("0.09") and size_x.unit == MICROMETER
    assert size_x.source_text == "0.09 micrometer"
    assert data.physical_size_z is not None and data.physical_size_z.value == Decimal("1")
    assert data.time_interval is not None and data.time_interval.unit == MINUTE
    assert file.media_type == MEDIA_TYPE
    assert file.size_bytes == REAL.stat().st_size
    assert file.sha256 == hashlib.sha256(REAL.read_bytes()).hexdigest()
    assert file.url == REAL.resolve().as_uri()
    assert file.name == REAL.name
    where = real.source_map[("analysed-data/ssbd-1-081505", "physical_size_x")]
    assert (where.hdf5_path, where.column) == ("/data/scaleUnit", "xScale")


def test_url_argument_replaces_file_uri() -> None:
    url = "https://ssbd.riken.jp/example/081505_L1_bd5.h5"
    result = read_bd5(SAMPLES / "sample_csv_bd5.h5", url=url)
    assert result.data_file is not None and result.data_file.url == url


# --- sample files --------------------------------------------------------------------------

# file -> (dimension, time points, objects per entity, rows, track links)
SAMPLE_EXPECTED: dict[str, tuple[str, int, dict[str, int], int, int]] = {
    "sample_csv_bd5.h5": ("3D", 1, {"point": 193}, 193, 0),
    "sample_circle_bd5.h5": ("2D", 1, {"circle": 1}, 1, 0),
    "sample_circle_numpy_bd5.h5": ("2D", 1, {"circle": 2}, 2, 0),
    "sample_point_numpy_bd5.h5": ("3D", 1, {"point": 2}, 2, 0),
    "sample_sphere_numpy_bd5.h5": ("3D", 1, {"sphere": 4}, 4, 0),
    "sample_line_bd5.h5": ("3D", 1, {"line": 1}, 5, 0),
    "sample_line_numpy_bd5.h5": ("3D", 1, {"line": 1}, 5, 0),
    "sample_face_bd5.h5": ("3D", 1, {"face": 1}, 12, 0),
    "sample_face_numpy_bd5.h5": ("3D", 1, {"face": 1}, 12, 0),
    "sample_timeseries_trackInfo_bd5.h5": ("2D+T", 2, {"point": 4}, 4, 2),
    "sample_timeseries_notrack_bd5.h5": ("2D+T", 2, {"point": 4}, 4, 0),
    "sample_timeseries_point_bd5.h5": ("2D+T", 2, {"point": 4}, 4, 2),
}


def test_every_sample_file_is_covered() -> None:
    assert {p.name for p in SAMPLES.glob("*.h5")} == set(SAMPLE_EXPECTED)


@pytest.mark.parametrize("name", sorted(SAMPLE_EXPECTED))
def test_sample_summary(name: str) -> None:
    """(N, 1)-shaped numpy tables, PyTables attributes and padding gaps all read the same."""
    dimension, times, per_entity, rows, tracks = SAMPLE_EXPECTED[name]
    result = read_bd5(SAMPLES / name)
    summary = result.summary
    assert summary is not None
    assert summary.dimension == dimension
    assert summary.time_points == times
    assert summary.objects_per_entity == per_entity
    assert summary.row_count == rows
    assert summary.track_link_count == tracks
    assert result.analysed_data is not None and result.data_file is not None


def test_sample_csv_matches_140911() -> None:
    summary = read_bd5(SAMPLES / "sample_csv_bd5.h5").summary
    assert summary is not None
    assert (summary.x_scale, summary.y_scale, summary.z_scale) == (0.24, 0.24, 0.252)
    assert summary.space_unit == "micrometer"
    assert summary.t_scale is None
    assert summary.label_count == 193


@pytest.mark.parametrize(
    "name",
    [n for n in sorted(SAMPLE_EXPECTED) if n != "sample_timeseries_point_bd5.h5"],
)
def test_samples_have_no_violations(name: str) -> None:
    assert violations(read_bd5(SAMPLES / name)) == []


def test_dangling_track_links_are_reported_per_link() -> None:
    """bd5lint passes this file; its two links point at IDs no object table has. A published
    sample, so a warning per link (issue 16), not a refusal."""
    result = read_bd5(SAMPLES / "sample_timeseries_point_bd5.h5")
    assert violations(result) == []
    found = [f for f in result.findings if "track link" in f.message]
    assert [(f.location.hdf5_path, f.location.row) for f in found] == [
        ("/data/trackInfo", 0),
        ("/data/trackInfo", 1),
    ]
    assert [f.value for f in found] == ["o000000 -> o001000", "o000001 -> o001001"]
    assert all("o0010" in f.message for f in found)


@pytest.mark.parametrize(
    "name", ["sample_timeseries_notrack_bd5.h5", "sample_timeseries_trackInfo_bd5.h5"]
)
def test_radius_on_points_is_a_warning(name: str) -> None:
    """bd5lint fails these for a radius column on points; the value is unused, so a warning."""
    result = read_bd5(SAMPLES / name)
    assert located(result.findings) == {("warning", "/data/0/object/0")}
    assert result.findings[0].location.column == "radius"


def test_tscale_in_2d_is_a_warning() -> None:
    result = read_bd5(SAMPLES / "sample_circle_bd5.h5")
    assert {(f.severity, f.location.column) for f in result.findings} == {
        (Severity.WARNING, "tScale"),
        (Severity.WARNING, "tUnit"),
    }


# --- bd5lint fixtures ----------------------------------------------------------------------

# file -> expected findings as (severity, HDF5 path, text in the message)
LINT_EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "testbd5_data1.h5": [("violation", "/data1", "no /data group")],
    "testbd5_data_0_object_t1.h5": [
        ("violation", "/data/0/object/t1", "not an oID declared in /data/objectDef")
    ],
    "testbd5_dim_2t_bd5.h5": [
        ("warning", "/data/scaleUnit", "'zScale' is not applicable for dimension 2D+T"),
        ("violation", "/data/0/object/0", "'z' is not applicable for dimension 2D+T"),
    ],
    "testbd5_dim_3D.h5": [],
    "testbd5_dim_3D_t1.h5": [],
    "testbd5_object1.h5": [("violation", "/data/0/object1", "requires 'object'")],
    "testbd5_objectDef1.h5": [("violation", "/data/objectDef1", "/data/objectDef is missing")],
}


def test_every_lint_fixture_is_covered() -> None:
    assert {p.name for p in LINT.glob("*.h5")} == set(LINT_EXPECTED)


@pytest.mark.parametrize("name", sorted(LINT_EXPECTED))
def test_lint_fixture_findings(name: str) -> None:
    result = read_bd5(LINT / name)
    got = [(f.severity.value, f.location.hdf5_path, f.message) for f in result.findings]
    expected = LINT_EXPECTED[name]
    assert len(got) == len(expected), got
    for (severity, path, text), (got_severity, got_path, message) in zip(
        sorted(expected), sorted(got), strict=True
    ):
        assert (got_severity, got_path) == (severity, path)
        assert text in message
    assert all(f.location.file == str(LINT / name) for f in result.findings)


def test_repeated_defect_is_one_finding_with_a_count() -> None:
    result = read_bd5(LINT / "testbd5_dim_2t_bd5.h5")
    (finding,) = violations(result)
    assert finding.location.column == "z"
    assert "same in 100 places" in finding.message


def test_missing_data_group_gives_no_model_objects() -> None:
    result = read_bd5(LINT / "testbd5_data1.h5")
    assert result.summary is None and result.analysed_data is None and result.data_file is None


def test_misnamed_object_group_skips_only_that_time_point() -> None:
    summary = read_bd5(LINT / "testbd5_object1.h5").summary
    assert summary is not None
    assert summary.time_points == 100
    assert summary.object_count == 2054 - 17  # time point 0 (17 points) is not read


# --- not BD5 at all ------------------------------------------------------------------------


def test_non_hdf5_file_is_one_violation(tmp_path: Path) -> None:
    path = tmp_path / "not_really.h5"
    path.write_text("ID,t,entity,x,y,z\n1,1,point,1,2,3\n", encoding="utf-8")
    result = read_bd5(path)
    assert [f.severity for f in result.findings] == [Severity.VIOLATION]
    assert "not an HDF5 file" in result.findings[0].message
    assert result.summary is None and result.data_file is None


def test_missing_file_is_a_violation(tmp_path: Path) -> None:
    result = read_bd5(tmp_path / "absent.h5")
    assert [f.severity for f in result.findings] == [Severity.VIOLATION]


def test_read_result_for_cli(tmp_path: Path) -> None:
    result = read_bd5_result(SAMPLES / "sample_timeseries_point_bd5.h5")
    assert isinstance(result, ReadResult)
    # issue 16: a BD5 file alone is one project with one quantitative dataset
    [project] = result.projects
    assert [d.kind.code.text for d in project.datasets] == ["quantitative"]
    assert project.datasets[0].analysed_data[0].time_points == 2
    assert [f.severity for f in result.findings].count(Severity.WARNING) == 3


# --- synthetic files -----------------------------------------------------------------------

OBJECT_DTYPE = np.dtype(
    [
        ("ID", "S16"),
        ("t", "<f4"),
        ("entity", "S8"),
        ("x", "<f4"),
        ("y", "<f4"),
        ("z", "<f4"),
        ("radius", "<f4"),
        ("label", "S16"),
    ]
)


def _scale_unit(dimension: str) -> np.ndarray:
    fields = [("dimension", "S8"), ("xScale", "<f8"), ("yScale", "<f8"), ("zScale", "<f8")]
    fields += [("sUnit", "S16"), ("tScale", "<f8"), ("tUnit", "S16")]
    return np.array(
        [(dimension.encode(), 0.5, 0.5, 2.0, b"micrometer", 30.0, b"second")], dtype=fields
    )


def _objects(t: int, entities: list[str], labels: list[str]) -> np.ndarray:
    rows = [
        (f"{t:03d}{i:03d}".encode(), t, e.encode(), i, i, i, 1.5, lab.encode())
        for i, (e, lab) in enumerate(zip(entities, labels, strict=True))
    ]
    return np.array(rows, dtype=OBJECT_DTYPE)


def write_bd5(
    path: Path,
    *,
    dimension: str = "3D+T",
    times: int = 3,
    per_time: int = 4,
    drop: Iterable[str] = (),
    object_dtype: np.dtype | None = None,
    entity: str = "sphere",
    tracks: list[tuple[str, str]] | None = None,
) -> Path:
    """A small BD5 file in the 081505 layout; `drop` leaves out /data members."""
    with h5py.File(path, "w") as handle:
        data = handle.create_group("data")
        if "scaleUnit" not in drop:
            data["scaleUnit"] = _scale_unit(dimension)
        if "objectDef" not in drop:
            data["objectDef"] = np.array(
                [(0, b"nucleus")], dtype=[("oID", "<i4"), ("name", "S128")]
            )
        # Names written in text order ("0", "1", "10", "2"...) to exercise numeric sorting.
        for t in sorted(range(times), key=str):
            table = _objects(t, [entity] * per_time, [f"L{i}" for i in range(per_time)])
            if object_dtype is not None:
                kept = [n for n in object_dtype.names or () if n in OBJECT_DTYPE.names]
                table = np.array(table[kept].tolist(), dtype=object_dtype)
            data.create_dataset(f"{t}/object/0", data=table)
        if tracks is None:
            tracks = [
                (f"{t:03d}{i:03d}", f"{t + 1:03d}{i:03d}")
                for t in range(times - 1)
                for i in range(per_time)
            ]
        data["trackInfo"] = np.array(
            [(a.encode(), b.encode()) for a, b in tracks], dtype=[("from", "S16"), ("to", "S16")]
        )
    return path


def test_synthetic_valid_file(tmp_path: Path) -> None:
    tracks = [("000000", "001000"), ("000000", "001001"), ("001000", "002000")]
    path = write_bd5(tmp_path / "ok.h5", times=12, tracks=tracks)
    result = read_bd5(path)
    assert result.findings == []
    summary = result.summary
    assert summary is not None
    assert summary.time_points == 12
    assert summary.objects_per_entity == {"sphere": 48}
    assert (summary.track_link_count, summary.division_count) == (3, 1)
    assert summary.label_count == 4
    assert (summary.z_scale, summary.t_scale, summary.time_unit) == (2.0, 30.0, "second")


def test_synthetic_mixed_entities_count_objects_not_rows(tmp_path: Path) -> None:
    path = tmp_path / "mixed.h5"
    write_bd5(path, dimension="3D", times=1, tracks=[])
    with h5py.File(path, "a") as handle:
        del handle["data/0/object/0"]
        table = _objects(0, ["point", "face", "face", "sphere"], ["a", "b", "b", "c"])
        table["ID"][2] = table["ID"][1]  # two rows of one face
        handle["data/0/object/0"] = table
    result = read_bd5(path)
    assert violations(result) == []
    assert result.summary is not None
    assert result.summary.objects_per_entity == {"face": 1, "point": 1, "sphere": 1}
    assert result.summary.row_count == 4


def test_synthetic_sphere_without_radius(tmp_path: Path) -> None:
    no_radius = np.dtype([(n, OBJECT_DTYPE[n]) for n in OBJECT_DTYPE.names or () if n != "radius"])
    path = write_bd5(tmp_path / "r.h5", object_dtype=no_radius)
    (finding,) = violations(read_bd5(path))
    assert finding.location.hdf5_path == "/data/0/object/0"
    assert finding.location.column == "radius"
    assert "'sphere' rows need it" in finding.message
    assert "same in 3 places" in finding.message


def test_synthetic_entity_not_allowed_for_dimension(tmp_path: Path) -> None:
    no_z = np.dtype([(n, OBJECT_DTYPE[n]) for n in OBJECT_DTYPE.names or () if n != "z"])
    path = write_bd5(tmp_path / "e.h5", dimension="2D+T", object_dtype=no_z)
    found = violations(read_bd5(path))
    assert located(found) == {("violation", "/data/0/object/0")}
    (finding,) = found
    assert finding.value == "sphere"
    assert "not allowed for dimension 2D+T" in finding.message


def test_synthetic_unknown_entity(tmp_path: Path) -> None:
    path = write_bd5(tmp_path / "u.h5", entity="points")
    (finding,) = violations(read_bd5(path))
    assert (finding.location.column, finding.value) == ("entity", "points")


@pytest.mark.parametrize("member", ["scaleUnit", "objectDef"])
def test_synthetic_missing_definition_table(tmp_path: Path, member: str) -> None:
    path = write_bd5(tmp_path / "m.h5", drop=[member])
    result = read_bd5(path)
    assert located(violations(result)) == {("violation", f"/data/{member}")}
    assert result.summary is not None  # the rest is still summarised


def test_synthetic_text_scales_and_coordinates(tmp_path: Path) -> None:
    """140911 stores every number as a string; a non-number is reported with its row."""
    path = tmp_path / "text.h5"
    with h5py.File(path, "w") as handle:
        handle["data/scaleUnit"] = np.array(
            [(b"3D", b"0.24", b"0.24", b"0.252", b"micrometer")],
            dtype=[("dimension", "S128")]
            + [(c, "S32") for c in ("xScale", "yScale", "zScale")]
            + [("sUnit", "S128")],
        )
        handle["data/objectDef"] = np.array([(0, b"n")], dtype=[("oID", "<i4"), ("name", "S8")])
        rows = [
            (b"a", b"1", b"point", b"1.5", b"2", b"3"),
            (b"b", b"1", b"point", b"x?", b"2", b"3"),
        ]
        handle["data/0/object/0"] = np.array(
            rows, dtype=[(c, "S8") for c in ("ID", "t", "entity", "x", "y", "z")]
        )
    result = read_bd5(path)
    assert result.summary is not None and result.summary.z_scale == 0.252
    assert result.analysed_data is not None
    assert result.analysed_data.physical_size_z is not None
    assert result.analysed_data.physical_size_z.value == Decimal("0.252")
    (finding,) = violations(result)
    assert (finding.location.column, finding.location.row, finding.value) == ("x", 1, "x?")


def test_synthetic_absurd_declared_shape_is_not_read(tmp_path: Path) -> None:
    """A chunked table can declare terabytes backed by nothing: refuse it, do not allocate."""
    path = write_bd5(tmp_path / "huge.h5", times=1, tracks=[])
    rows = MAX_TABLE_BYTES // OBJECT_DTYPE.itemsize * 1000
    with h5py.File(path, "a") as handle:
        handle["data/0/object"].create_dataset(
            "0b", shape=(rows,), dtype=OBJECT_DTYPE, chunks=(1024,)
        )
    result = read_bd5(path)
    messages = [
        f.message for f in violations(result) if f.location.hdf5_path == "/data/0/object/0b"
    ]
    assert any("beyond the reader's limit" in m for m in messages)


def test_synthetic_dimension_unknown_and_bad_unit(tmp_path: Path) -> None:
    path = tmp_path / "dim.h5"
    write_bd5(path, times=1, tracks=[])
    with h5py.File(path, "a") as handle:
        table = handle["data/scaleUnit"][()]
        table["dimension"] = b"4D"
        table["sUnit"] = b"furlong"
        del handle["data/scaleUnit"]
        handle["data/scaleUnit"] = table
    result = read_bd5(path)
    found = {(f.severity, f.location.column): f for f in result.findings}
    assert found[(Severity.VIOLATION, "dimension")].value == "4D"
    assert found[(Severity.WARNING, "sUnit")].value == "furlong"
    assert result.analysed_data is not None and result.analysed_data.physical_size_x is not None
    assert result.analysed_data.physical_size_x.unit is None


def test_synthetic_feature_tables_are_checked(tmp_path: Path) -> None:
    path = write_bd5(tmp_path / "f.h5", times=2, tracks=[])
    feature_dtype = [("ID", "S16"), ("fID", "<i4"), ("value", "<f4")]
    with h5py.File(path, "a") as handle:
        handle["data/featureDef"] = np.array(
            [(0, b"totalGFPsignal", b"intensity")],
            dtype=[("fID", "<i4"), ("name", "S128"), ("fUnit", "S16")],
        )
        good = [(f"000{i:03d}".encode(), 0, 1.0) for i in range(4)]
        handle["data/0/feature/0"] = np.array(good, dtype=feature_dtype)
        bad = [(b"001000", 0, 1.0), (b"999999", 0, 2.0)]
        handle["data/1/feature/0"] = np.array(bad, dtype=feature_dtype)
        handle["data/1/feature/7"] = np.array(bad[:1], dtype=feature_dtype)
    result = read_bd5(path)
    found = {(f.location.hdf5_path, f.location.row, f.value) for f in violations(result)}
    assert found == {
        ("/data/1/feature/0", 1, "999999"),
        ("/data/1/feature/7", None, "7"),
    }
    assert result.summary is not None
    assert result.summary.feature_defs[0].name == "totalGFPsignal"


def test_synthetic_gap_in_time_points_is_a_warning(tmp_path: Path) -> None:
    path = write_bd5(tmp_path / "gap.h5", times=12, tracks=[])
    with h5py.File(path, "a") as handle:
        del handle["data/10"]
    result = read_bd5(path)
    (finding,) = result.findings
    assert (finding.severity, finding.location.hdf5_path) == (Severity.WARNING, "/data")
    assert "missing 10" in finding.message
    assert result.summary is not None and result.summary.time_points == 11
