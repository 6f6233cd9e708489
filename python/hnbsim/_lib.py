"""_lib.py: the ctypes binding to libhnbsim.so and the library's errors.

Owns: finding the shared library, the prototype of every C call the module
uses (hnbsim.h), and turning a non-zero status into an exception with the
library's own messages. Nothing here knows what a scenario is.

Where the library comes from, first found wins: the HNBSIM_LIBRARY
environment variable (a path to libhnbsim.so.N, as the build tree's tests
set it); the installed library beside this package (_paths.py, written at
install time, relative so the package works from any prefix); then the
system loader (ld.so.conf, LD_LIBRARY_PATH).

Trade-off: ctypes, not a compiled extension: nothing to build for each
Python version, at the price of declaring the prototypes twice (here and in
hnbsim.h); tests/test_hnbsim.py exercises every one of them."""

import ctypes
import ctypes.util
import os

try:
    from . import _paths
except ImportError:  # the source tree: no install step has written it
    _paths = None


class Error(Exception):
    """A call into libhnbsim failed.

    code: the library's status number (hnbsim.h, model/core/errors.def);
    strerror: its fixed message; problems: the detail, one problem per
    line, each "<file>: <json.path>: <what was wrong> (expected <what>)"."""

    def __init__(self, code, strerror, problems):
        self.code = code
        self.strerror = strerror
        self.problems = problems
        super().__init__("\n".join(problems) if problems else strerror)


class RunError(Error):
    """1xx: the run itself (memory, numerics, a fit that did not converge)."""


class InputError(Error):
    """2xx: a scenario or results file that is malformed or out of range."""


class FileError(Error):
    """3xx: a file that cannot be read or written, or gnuplot failing."""


class UsageError(Error):
    """4xx: the library called in a way it does not allow."""


def _error_class(code):
    return {1: RunError, 2: InputError, 3: FileError, 4: UsageError}.get(code // 100, Error)


def _candidates():
    env = os.environ.get("HNBSIM_LIBRARY")
    if env:
        yield env
        return
    if _paths is not None:
        here = os.path.dirname(os.path.abspath(__file__))
        yield os.path.normpath(os.path.join(here, _paths.LIBDIR, _paths.SONAME))
    yield _paths.SONAME if _paths is not None else "libhnbsim.so.0"
    found = ctypes.util.find_library("hnbsim")
    if found:
        yield found


def _load():
    tried = []
    for path in _candidates():
        if os.path.sep in path and not os.path.exists(path):
            tried.append(path + " (no such file)")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append(f"{path} ({e})")
    raise ImportError(
        "hnbsim: cannot load libhnbsim.so (expected the installed library, or HNBSIM_LIBRARY=/path/to/libhnbsim.so.0); tried: "
        + "; ".join(tried)
    )


lib, library_path = _load()


class RunOptions(ctypes.Structure):
    """struct hnb_run_options (hnbsim.h), field for field."""

    _fields_ = [
        ("paths", ctypes.c_uint64),
        ("seed", ctypes.c_uint64),
        ("threads", ctypes.c_int),
        ("progress", ctypes.c_int),
        ("attribution", ctypes.c_int),
        ("paths_out", ctypes.c_char_p),
    ]


_P = ctypes.c_void_p  # hnb_model *
_S = ctypes.c_char_p
_PROTOS = {
    "hnb_version": (_S, []),
    "hnb_strerror": (_S, [ctypes.c_int]),
    "hnb_model_alloc": (_P, []),
    "hnb_model_free": (None, [_P]),
    "hnb_errmsg": (_S, [_P]),
    "hnb_load_file_ex": (ctypes.c_int, [_P, _S, ctypes.c_uint]),
    "hnb_load_embedded_ex": (ctypes.c_int, [_P, ctypes.c_uint]),
    "hnb_embedded_text": (_S, [_S]),
    "hnb_scenario_count": (ctypes.c_size_t, [_P]),
    "hnb_scenario_name": (_S, [_P, ctypes.c_size_t]),
    "hnb_run": (ctypes.c_int, [_P, ctypes.POINTER(RunOptions)]),
    "hnb_add_backtest": (ctypes.c_int, [_P]),
    "hnb_write_results": (ctypes.c_int, [_P, _S]),
    "hnb_results_string": (ctypes.c_int, [_P, ctypes.POINTER(ctypes.c_void_p)]),
    "hnb_load_results": (ctypes.c_int, [_P, _S]),
    "hnb_result_number": (ctypes.c_int, [_P, _S, ctypes.POINTER(ctypes.c_double)]),
    "hnb_result_string": (ctypes.c_int, [_P, _S, ctypes.POINTER(ctypes.c_char_p)]),
    "hnb_result_count": (ctypes.c_int, [_P, _S, ctypes.POINTER(ctypes.c_size_t)]),
    "hnb_plot_results": (ctypes.c_int, [_P, _S, ctypes.c_uint]),
    "hnb_export_results": (ctypes.c_int, [_P, _S]),
}
for _name, (_res, _args) in _PROTOS.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args

_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None

HNB_LOAD_BACKTEST = 1
FORMATS = {"png": 1, "pdf": 2, "svg": 4}


def text(b):
    """A C string from the library as str (None stays None)."""
    return None if b is None else b.decode("utf-8")


def path_arg(p):
    """A file name for the library: str or os.PathLike, in the file system's encoding."""
    return os.fsencode(p)


def check(h, rc):
    """Raise the Error for status rc, with the handle's detail; rc 0 passes."""
    if rc == 0:
        return
    detail = text(lib.hnb_errmsg(h)) or ""
    raise _error_class(rc)(rc, text(lib.hnb_strerror(rc)), [l for l in detail.split("\n") if l])


def free(ptr):
    _libc.free(ptr)
