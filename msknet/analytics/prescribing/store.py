"""The partitioned Parquet store, with all-or-nothing imports.

Layout under the store directory::

    CURRENT                      name of the live version (replaced atomically)
    versions/<v>/epd/month=YYYY-MM/*.parquet         kept prescribing rows
    versions/<v>/orgs/month=YYYY-MM/*.parquet        practice -> sub-ICB/ICB/region
    versions/<v>/presentations/month=YYYY-MM/*.parquet   BNF code -> description
    versions/<v>/list_sizes/month=YYYY-MM/*.parquet  practice list sizes
    versions/<v>/dmd.csv                             optional dm+d extract
    versions/<v>/practices.csv                       practice names (ODS epraccur)
    versions/<v>/loads.json                          what each month came from
    tmp/<transaction>/                               staging; DuckDB spill files

An import stages everything under ``tmp/``, then builds a new version whose
unchanged partitions are hard links to the old ones, and finally replaces
``CURRENT`` with ``os.replace`` (atomic on POSIX). Until that one rename the
old version is what every reader sees; a failure at any earlier point leaves
the store as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATASETS = ("epd", "orgs", "presentations", "list_sizes")


def default_store_dir() -> Path:
    """``$MSKNET_DATA_DIR/prescribing`` (``MSKNET_DATA_DIR`` defaults to ./var/data)."""
    return Path(os.environ.get("MSKNET_DATA_DIR", "./var/data")) / "prescribing"


@dataclass
class Transaction:
    """Partitions staged by one import, committed together or not at all."""

    store: Store
    directory: Path
    partitions: dict[tuple[str, str], Path] = field(default_factory=dict)
    loads: dict[str, dict[str, Any]] = field(default_factory=dict)
    dmd: Path | None = None
    practices: Path | None = None

    def put(self, dataset: str, month: str, source: Path) -> None:
        """Make ``source`` (a directory of Parquet files) the new partition."""
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}")
        self.partitions[(dataset, month)] = source

    def record(self, month: str, details: dict[str, Any]) -> None:
        """Note where a month's data came from (kept in ``loads.json``)."""
        self.loads[month] = details


class Store:
    """A prescribing store on disk. Reading never takes a lock."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_dir()

    # -- reading ----------------------------------------------------------

    @property
    def version_dir(self) -> Path | None:
        """The live version's directory, or None for an empty store."""
        pointer = self.path / "CURRENT"
        if not pointer.exists():
            return None
        return self.path / "versions" / pointer.read_text().strip()

    def months(self, dataset: str = "epd") -> list[str]:
        """The months a dataset holds, in order."""
        version = self.version_dir
        if version is None or not (version / dataset).exists():
            return []
        return sorted(
            p.name.removeprefix("month=")
            for p in (version / dataset).iterdir()
            if p.name.startswith("month=")
        )

    def files(self, dataset: str, months: list[str] | None = None) -> list[str]:
        """The Parquet files of a dataset (optionally only some months)."""
        version = self.version_dir
        if version is None:
            return []
        wanted = self.months(dataset) if months is None else months
        out: list[str] = []
        for month in wanted:
            folder = version / dataset / f"month={month}"
            if folder.exists():
                out.extend(str(p) for p in sorted(folder.glob("*.parquet")))
        return out

    def loads(self) -> dict[str, dict[str, Any]]:
        """Where each month came from (file, layout, rows, import time)."""
        version = self.version_dir
        if version is None or not (version / "loads.json").exists():
            return {}
        data: dict[str, dict[str, Any]] = json.loads((version / "loads.json").read_text())
        return data

    def dmd_path(self) -> Path | None:
        """The stored dm+d extract, if one was imported."""
        version = self.version_dir
        if version is None or not (version / "dmd.csv").exists():
            return None
        return version / "dmd.csv"

    def practices_path(self) -> Path | None:
        """The stored practice details (``practices.load_practices``), if loaded."""
        version = self.version_dir
        if version is None or not (version / "practices.csv").exists():
            return None
        return version / "practices.csv"

    # -- writing ----------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Stage partitions; commit them all when the block ends without error."""
        self.path.mkdir(parents=True, exist_ok=True)
        with (self.path / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._clean_tmp()
                directory = self.path / "tmp" / uuid.uuid4().hex
                directory.mkdir(parents=True)
                tx = Transaction(store=self, directory=directory)
                try:
                    yield tx
                    self._commit(tx)
                finally:
                    shutil.rmtree(directory, ignore_errors=True)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _clean_tmp(self) -> None:
        """Remove staging left by an import that was killed (we hold the lock)."""
        shutil.rmtree(self.path / "tmp", ignore_errors=True)
        live = self.version_dir
        keep = {live.name} if live is not None else set()
        keep |= set(self._previous())
        versions = self.path / "versions"
        if versions.exists():
            for old in versions.iterdir():
                if old.name not in keep:
                    shutil.rmtree(old, ignore_errors=True)

    def _previous(self) -> list[str]:
        path = self.path / "PREVIOUS"
        return [path.read_text().strip()] if path.exists() else []

    def _commit(self, tx: Transaction) -> None:
        old = self.version_dir
        name = uuid.uuid4().hex
        new = self.path / "versions" / name
        building = tx.directory / "version"
        building.mkdir()
        for dataset in DATASETS:
            for month in self.months(dataset):
                if (dataset, month) in tx.partitions or old is None:
                    continue
                _link_tree(old / dataset / f"month={month}",
                           building / dataset / f"month={month}")
        for (dataset, month), source in tx.partitions.items():
            target = building / dataset / f"month={month}"
            target.parent.mkdir(parents=True, exist_ok=True)
            source.rename(target)
        loads = self.loads()
        loads.update(tx.loads)
        (building / "loads.json").write_text(json.dumps(loads, indent=1, sort_keys=True))
        dmd = tx.dmd or self.dmd_path()
        if dmd is not None:
            _link_or_copy(dmd, building / "dmd.csv")
        practices = tx.practices or self.practices_path()
        if practices is not None:
            _link_or_copy(practices, building / "practices.csv")
        self._before_switch(building)
        new.parent.mkdir(parents=True, exist_ok=True)
        building.rename(new)
        pointer = self.path / "CURRENT.new"
        pointer.write_text(name)
        with pointer.open() as handle:
            os.fsync(handle.fileno())
        os.replace(pointer, self.path / "CURRENT")  # the commit point
        if old is not None:
            (self.path / "PREVIOUS").write_text(old.name)

    def _before_switch(self, building: Path) -> None:
        """Hook between staging and the switch (tests inject failures here)."""


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _link_tree(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        _link_or_copy(item, target / item.name)
