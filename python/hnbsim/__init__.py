"""hnbsim: High Needs Block forecasting from Python, over libhnbsim.so.

    import hnbsim
    res = hnbsim.run("my-authority.json", paths=1000, seed=1)
    res["baseline"].series("cumulative")      # {"2025-26": -21.6e6, ...} in £
    res.dataframe()                            # pandas, one row per scenario and year

Owns the Python face of the library: Model (one handle: load scenario
files, run with options, results, charts, spreadsheets), and the shortcuts
run(), validate(), load_results(). The results are Python objects
(results.py); the C calls are in _lib.py. docs/python.md is the guide.

Thread safety: as the C library: two Model objects may run at once on two
threads (ctypes releases the GIL during a call); one Model must not be used
from two threads at once. Errors raise hnbsim.Error (InputError, FileError,
UsageError, RunError) carrying the library's messages."""

import ctypes
import os

from . import _lib
from ._lib import Error, FileError, InputError, RunError, UsageError, library_path
from .results import Results, Scenario

__all__ = [
    "Model", "Results", "Scenario", "Error", "InputError", "FileError", "UsageError", "RunError",
    "run", "validate", "load_results", "version", "sutton_path", "data_dir", "library_path",
]


def version():
    """The library's version, e.g. "0.1.0"."""
    return _lib.text(_lib.lib.hnb_version())


def data_dir():
    """The installed share/hnbsim folder (scenarios/, data/sen2/), or None
    when the module runs from the source tree."""
    if _lib._paths is None:
        return None
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), _lib._paths.DATADIR))


def sutton_path():
    """The installed copy of the embedded Sutton scenario file, or None."""
    d = data_dir()
    p = d and os.path.join(d, "scenarios", "sutton", "sutton.json")
    return p if p and os.path.exists(p) else None


class Model:
    """One hnbsim handle: the scenarios loaded, the results of the last run.

    with hnbsim.Model() as m:
        m.load("a.json")                # or m.load_sutton()
        res = m.run(paths=1000, seed=1)
    """

    def __init__(self):
        self._h = _lib.lib.hnb_model_alloc()
        if not self._h:
            raise MemoryError("hnbsim: out of memory allocating a model")

    def close(self):
        """Free the handle (also done when the object is collected)."""
        if getattr(self, "_h", None):
            _lib.lib.hnb_model_free(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _handle(self):
        if not self._h:
            raise ValueError("hnbsim: the model is closed")
        return self._h

    def _check(self, rc):
        _lib.check(self._h, rc)

    # ---- scenarios --------------------------------------------------------

    def load(self, *paths, backtest=False):
        """Load and validate scenario files (every problem is in the
        InputError raised); their scenarios are added after any loaded
        before. backtest=True reads each through its "backtest" block."""
        h = self._handle()
        for p in paths:
            self._check(_lib.lib.hnb_load_file_ex(h, _lib.path_arg(p), _lib.HNB_LOAD_BACKTEST if backtest else 0))
        return self

    def load_sutton(self, backtest=False):
        """Load the embedded London Borough of Sutton scenarios."""
        self._check(_lib.lib.hnb_load_embedded_ex(self._handle(), _lib.HNB_LOAD_BACKTEST if backtest else 0))
        return self

    @property
    def scenario_names(self):
        """The names of the loaded scenarios, in file order."""
        h = self._handle()
        return [_lib.text(_lib.lib.hnb_scenario_name(h, i)) for i in range(_lib.lib.hnb_scenario_count(h))]

    # ---- running ----------------------------------------------------------

    def run(self, paths=0, seed=1, threads=0, attribution=True, paths_out=None, backtest=True, progress=False):
        """Run every loaded scenario, as `hnbsim run` does, and return the
        Results. paths: Monte Carlo paths (0 = deterministic only); seed:
        the Monte Carlo seed; threads: worker threads (0 = one per core; the
        figures do not depend on it); attribution: savings by action;
        paths_out: also write every path's figures to this CSV file;
        backtest: add the back-test table when the scenarios have a
        "backtest" block (as `hnbsim run` does)."""
        h = self._handle()
        for name, v in (("paths", paths), ("seed", seed), ("threads", threads)):
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise UsageError(401, "bad usage", [f"run: {name}: {v!r} is not a whole number >= 0 (expected e.g. {name}=1000)"])
        if paths_out is not None and paths == 0:
            raise UsageError(401, "bad usage", ["run: paths_out needs paths > 0: there are no paths to write without Monte Carlo"])
        opt = _lib.RunOptions(paths, seed, threads, 1 if progress else 0, 1 if attribution else 0,
                              None if paths_out is None else _lib.path_arg(paths_out))
        self._check(_lib.lib.hnb_run(h, ctypes.byref(opt)))
        if backtest:
            self._check(_lib.lib.hnb_add_backtest(h))
        return self.results()

    # ---- results ----------------------------------------------------------

    def results(self):
        """The results the handle holds now (of the last run or loaded file)."""
        h = self._handle()
        p = ctypes.c_void_p()
        self._check(_lib.lib.hnb_results_string(h, ctypes.byref(p)))
        try:
            return Results(ctypes.string_at(p).decode("utf-8"))
        finally:
            _lib.free(p)

    def load_results(self, path):
        """Take a results file (written by `hnbsim run`) as the handle's results."""
        self._check(_lib.lib.hnb_load_results(self._handle(), _lib.path_arg(path)))
        return self.results()

    def figure(self, path):
        """One number of the current results through the C library, by its
        dotted path: "scenarios.baseline.years.2027-28.cumulative" (£).
        A figure the results leave undefined is NaN."""
        v = ctypes.c_double()
        self._check(_lib.lib.hnb_result_number(self._handle(), path.encode("utf-8"), ctypes.byref(v)))
        return v.value

    def write_results(self, path):
        """Write results.json (through a temporary file renamed into place)."""
        self._check(_lib.lib.hnb_write_results(self._handle(), _lib.path_arg(path)))

    def write_charts(self, outdir, formats=("png", "pdf")):
        """Draw the charts of the current results into outdir (needs gnuplot)."""
        try:
            bits = sum(_lib.FORMATS[f] for f in set(formats))
        except KeyError as e:
            raise UsageError(401, "bad usage", [f"write_charts: format {e.args[0]!r}: unknown (expected png, pdf or svg)"]) from None
        self._check(_lib.lib.hnb_plot_results(self._handle(), _lib.path_arg(outdir), bits))

    def write_spreadsheets(self, outdir):
        """Write outdir/hnbsim.xlsx and outdir/csv/ from the current results."""
        self._check(_lib.lib.hnb_export_results(self._handle(), _lib.path_arg(outdir)))


def run(*files, paths=0, seed=1, threads=0, **options):
    """Load the scenario files (none: the embedded Sutton scenarios), run
    them and return the Results; options as Model.run."""
    with Model() as m:
        if files:
            m.load(*files)
        else:
            m.load_sutton()
        return m.run(paths=paths, seed=seed, threads=threads, **options)


def validate(path):
    """The problems of a scenario file, one string each; [] if it is valid."""
    with Model() as m:
        try:
            m.load(path)
        except InputError as e:
            return e.problems
    return []


def load_results(path):
    """The Results of a results file written by `hnbsim run`."""
    with Model() as m:
        return m.load_results(path)
