"""Book parameters: one ``params/<kommune>.yml`` per municipality.

Unknown keys and bad values are rejected with a message naming the file and the key.
``default_params`` writes a sensible default for any municipality in the register.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from navbok import yaml_io
from navbok.errors import ConfigError, NavbokError
from navbok.national_facts import national_pass
from navbok.project import Project
from navbok.regions import all_names
from navbok.status import NOT_AVAILABLE

if TYPE_CHECKING:
    import pandas as pd

    from navbok.data import NavData
    from navbok.reference import Reference

PARAMS_DIR = Path("params")

#: Further folders (``os.pathsep``-separated) the ``local_data`` files may lie in, besides the
#: project folder: the explicit allow-list. A params file cannot widen it.
LOCAL_DATA_ENV = "NAVBOK_LOCAL_DATA"

#: Texts about one municipality a params file may give (``texts:``), shown where a chapter
#: asks for them; without one a chapter writes its general text, never another municipality's.
TEXT_KEYS = {
    "aap_intro": "the AAP chapter's opening sentence (e.g. what the mandate asks)",
    "aap_ratio": "where the comparison of AAP with social assistance comes from",
}

DEFAULT_MANDATE = (
    "Gjennomgangen ser på hvordan sosialtjenesten i {navn} utvikler seg over tid og sammenlignet "
    "med andre kommuner: hvor mange som mottar økonomisk sosialhjelp og hvor lenge, hva "
    "utbetalingene vokser med, bruken av arbeidsavklaringspenger (AAP) og "
    "kvalifiseringsprogrammet (KVP), og hvordan kommunen kommer ut i en åpen rekonstruksjon av "
    "Kommunebarometerets sosialtjenestesektor."
)


@dataclass
class Params:
    """Everything a book edition needs to know about its municipality."""

    kommune: str
    name: str
    title: str = ""
    mandate: str = ""
    neighbours: list[str] = field(default_factory=list)
    asss_variant: str = "default"
    start_year: int = 2015
    end_year: int = 2024
    profile_years: list[int] = field(default_factory=list)
    growth_period: list[int] = field(default_factory=lambda: [2015, 2019])
    #: The edition of Kommunebarometeret the chapter reconstructs (statistics year + the
    #: configured lag); none: the newest the snapshot allows, the same edition the overview,
    #: the print summary and the workbook show.
    barometer_year: int | None = None
    aap_year: int | None = None
    price_index: str | None = None
    local_data: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    edition: str = "Første utgave"

    def __post_init__(self) -> None:
        self.kommune = str(self.kommune).zfill(4)
        if not self.kommune.isdigit() or len(self.kommune) != 4:
            raise ConfigError(f"params: kommune must be a 4-digit code, got {self.kommune!r}")
        if not self.title:
            self.title = f"Sosialtjenesten i {self.name}"
        if not self.mandate:
            self.mandate = DEFAULT_MANDATE.format(navn=self.name)
        if not self.profile_years:
            self.profile_years = [self.end_year - 2, self.end_year - 1, self.end_year]
        self.neighbours = [str(n).zfill(4) for n in self.neighbours]
        unknown = sorted(set(self.texts) - set(TEXT_KEYS))
        if unknown:
            raise ConfigError(
                f"params: unknown texts key(s) {', '.join(unknown)}; allowed: "
                + ", ".join(sorted(TEXT_KEYS))
            )
        if self.start_year >= self.end_year:
            raise ConfigError("params: start_year must be before end_year")
        if len(self.growth_period) != 2 or self.growth_period[0] >= self.growth_period[1]:
            raise ConfigError("params: growth_period must be [first_year, last_year]")

    def to_yaml(self) -> str:
        """The parameters as YAML text."""
        return yaml_io.dump(asdict(self), width=100)


def write_params(params: Params, path: Path) -> Path:
    """Write a params file (used by ``navbok params``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(params.to_yaml(), "utf-8")
    return path


def _known_keys() -> dict[str, Any]:
    return {f.name: f.type for f in fields(Params)}


def parse_params(doc: Any, where: str = "params") -> Params:
    """Validate a parsed YAML document as :class:`Params`."""
    if not isinstance(doc, dict):
        raise ConfigError(f"{where}: expected a mapping of keys to values")
    known = _known_keys()
    unknown = sorted(set(doc) - set(known))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}"
        )
    for key in ("kommune", "name"):
        if key not in doc:
            raise ConfigError(f"{where}: missing required key {key!r}")
    checks = {
        "neighbours": list,
        "profile_years": list,
        "growth_period": list,
        "local_data": dict,
        "texts": dict,
        "start_year": int,
        "end_year": int,
        "barometer_year": int,
        "aap_year": int,
        "title": str,
        "mandate": str,
        "name": str,
        "asss_variant": str,
        "edition": str,
    }
    for key, typ in checks.items():
        if key in doc and doc[key] is not None and not isinstance(doc[key], typ):
            raise ConfigError(
                f"{where}: {key} must be {typ.__name__}, got {type(doc[key]).__name__}"
            )
    try:
        return Params(**doc)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def load_params(path: str | os.PathLike[str]) -> Params:
    """Read and validate a params file.

    Paths in ``local_data`` and ``price_index`` are relative to the params file's directory
    (``params/3201.yml`` → ``../data/reference/…``); they come back absolute.
    """
    path = Path(path)
    try:
        doc = yaml_io.load_plain(path.read_text("utf-8"), str(path))  # no anchors, no aliases
    except FileNotFoundError as exc:
        raise ConfigError(f"Params file {path} does not exist") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    params = parse_params(doc, str(path))
    base = path.resolve().parent
    for key, value in params.local_data.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: local_data {key} must be a file path, got {value!r}")
    params.local_data = {k: str(base / v) for k, v in params.local_data.items()}
    if params.price_index:
        params.price_index = str(base / params.price_index)
    return params


def default_params(data, kommune: str) -> Params:  # NavData
    """Sensible defaults for any municipality: the two municipalities of the same county
    closest in population (18–66) as neighbours, the newest years in the snapshot."""
    m = data.resolve(kommune)
    years = data.years
    end = max(years)

    pop = _population_18_66(data, end)  # once for all municipalities
    same_county = [c for c in pop.index if c[:2] == m.code[:2] and c != m.code]
    own = pop.get(m.code, 0.0)
    neighbours = sorted(same_county, key=lambda c: abs(pop[c] - own))[:2]
    # The first five-year period the payouts exist for (a municipality that got an unknown
    # part of a split has none before the split); hidden (suppressed) years count as existing.
    with_data = [y for y in years if _payout_status(data, m.code, y) != NOT_AVAILABLE]
    first = min(with_data) if with_data else min(years)
    growth = [first, first + 4] if first + 4 <= end else [max(min(years), end - 4), end]
    full = all_names(data.register.names.get(m.code, data.name(m.code)))
    return Params(
        kommune=m.code,
        name=data.name(m.code),
        title=f"Sosialtjenesten i {full}",
        neighbours=neighbours,
        start_year=min(years),
        end_year=end,
        growth_period=growth,
    )


def _payout_status(data, code: str, year: int) -> str | None:  # NavData
    """None when the municipality's payout figure for ``year`` exists, else its status."""
    return _payout_statuses(data).get((code, year), NOT_AVAILABLE)


@national_pass
def _population_18_66(data: NavData, year: int) -> pd.Series:
    """Every municipality's inhabitants 18–66 in ``year`` (a national pass)."""
    pop = data.measures
    pop = pop[(pop["measure"] == "befolkning_18_66") & (pop["year"] == year)]
    return pop[pop["region"].str.fullmatch(r"\d{4}")].set_index("region")["value"]


@national_pass
def _payout_statuses(data: NavData) -> dict[tuple[str, int], str | None]:
    """Every (region, year)'s payout status: None for a number, else its symbol."""
    m = data.measures
    m = m[m["measure"] == "utbetalt"]
    return {
        (r, int(y)): (None if v == v else (st or NOT_AVAILABLE))
        for r, y, v, st in zip(m["region"], m["year"], m["value"], m["status"], strict=True)
    }


def barometer_lag() -> int:
    """Years between a Kommunebarometer edition and the statistics it uses (barometer 2025 =
    tall for 2024), from the barometer configuration."""
    from navbok.analysis.barometer_config import config

    return config().data_lag


def check_params(params: Params, data, where: str) -> None:  # NavData
    """Check a municipality's parameters against the snapshot before anything runs.

    Years outside the snapshot, a growth period whose payouts do not exist for the
    municipality (missing, not merely hidden for privacy), an AAP year outside the statistics
    years, unknown neighbours and missing local data files each give one clear line; the advice
    names the params file only when there is one.
    """
    years = data.years
    lo, hi = min(years), max(years)
    problems = []
    for key in ("start_year", "end_year"):
        value = getattr(params, key)
        if not lo <= value <= hi:
            problems.append(f"{key} {value} er utenfor årene i datagrunnlaget ({lo}–{hi})")
    lag = barometer_lag()
    if params.barometer_year is not None and not lo + lag <= params.barometer_year <= hi + lag:
        problems.append(
            f"barometer_year {params.barometer_year} kan ikke rekonstrueres fra datagrunnlaget "
            f"(barometeret {lo + lag}–{hi + lag} bygger på tall for {lo}–{hi})"
        )
    outside = [y for y in params.profile_years if y not in years]
    if outside:
        problems.append(
            f"profile_years {', '.join(map(str, outside))} finnes ikke i datagrunnlaget ({lo}–{hi})"
        )
    y0, y1 = params.growth_period
    if not (lo <= y0 and y1 <= hi):
        problems.append(f"growth_period {y0}–{y1} er utenfor årene i datagrunnlaget ({lo}–{hi})")
    else:
        absent = [y for y in (y0, y1) if _payout_status(data, params.kommune, y) == NOT_AVAILABLE]
        if absent:
            problems.append(
                f"growth_period {y0}–{y1}: datagrunnlaget har ikke utbetalt sosialhjelp for "
                f"{params.name} i {', '.join(map(str, absent))}"
            )
    # A year of the statistics whose December the snapshot lacks is not a mistake: NAV serves
    # the current year only, and the book says the month is missing (report/aap.py). A year
    # with no social-assistance figures can never be paired.
    if params.aap_year is not None and not lo <= params.aap_year <= hi:
        problems.append(
            f"aap_year {params.aap_year} er utenfor årene i datagrunnlaget ({lo}–{hi}): "
            "AAP sammenlignes med sosialhjelp samme år"
        )
    for n in params.neighbours:
        try:
            data.resolve(n)
        except NavbokError as exc:
            problems.append(f"neighbours: {exc}")
    for key, path in params.local_data.items():
        try:
            read_local_data(key, path)  # as the chapter will read it
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        advice = (
            "Rett parameterne (eller slett fila for å bruke standardverdiene)."
            if Path(where).is_file()
            else "Skriv en params-fil med «navbok params KOMMUNE» og rett den."
        )
        raise ConfigError(f"{where}: " + "; ".join(problems) + f". {advice}")


def local_data_roots() -> list[Path]:
    """The folders ``local_data`` files may lie in (resolved): the book's project folder
    (:class:`navbok.project.Project`), the working folder when navbok reads its ``params/``
    there, and the folders of ``$NAVBOK_LOCAL_DATA``. A local table is published in the book,
    so nothing outside them is read."""
    roots = [Project.find().root]
    if PARAMS_DIR.is_dir():
        roots.append(Path.cwd())
    extra = os.environ.get(LOCAL_DATA_ENV, "")
    roots += [Path(p) for p in extra.split(os.pathsep) if p.strip()]
    return list(dict.fromkeys(r.resolve() for r in roots))


def local_data_file(key: str, path: str) -> Path:
    """The file ``local_data`` names for section ``key``, resolved as it is read.

    Symbolic links are followed before the check, so the file read is the file checked (and
    the one a message names). A relative ``path`` is relative to the project folder
    (:func:`load_params` has made a params file's paths absolute already). A path outside
    :func:`local_data_roots`, a missing file or a folder is a :class:`ConfigError` of one
    line."""
    if not isinstance(path, str) or not path.strip():
        raise ConfigError(f"local_data {key}: ventet en filsti, fikk {path!r}")
    given = Path(path)
    if not given.is_absolute():
        given = Project.find().root / given
    try:
        real = given.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links
        raise ConfigError(f"local_data {key}: {path} kan ikke leses ({exc})") from exc
    roots = local_data_roots()
    if not any(real.is_relative_to(root) for root in roots):
        where = " eller ".join(str(r) for r in roots)
        raise ConfigError(
            f"local_data {key}: {real} ligger utenfor prosjektmappa ({where}); lokale data "
            f"publiseres i boka, så flytt fila inn i prosjektmappa eller legg mappa til i "
            f"{LOCAL_DATA_ENV}"
        )
    if not real.exists():
        raise ConfigError(f"local_data {key}: filen {real} finnes ikke")
    if not real.is_file():
        raise ConfigError(f"local_data {key}: {real} er ikke en vanlig fil")
    return real


def read_local_data(key: str, path: str) -> Reference:
    """Check (:func:`local_data_file`) and read exactly that file as a reference table
    (:func:`navbok.reference.load_file`); every problem is one line naming ``key``."""
    from navbok.reference import load_file

    file = local_data_file(key, path)
    try:
        return load_file(file)
    except ConfigError as exc:
        raise ConfigError(f"local_data {key}: {exc}") from exc


def params_for(data, kommune: str, params_dir: str | os.PathLike[str] = PARAMS_DIR) -> Params:
    """The hand-curated ``params/<kommune>.yml`` if there is one, else the defaults."""
    code = data.resolve(kommune).code
    path = Path(params_dir) / f"{code}.yml"
    if path.is_file():
        return load_params(path)
    return default_params(data, code)
