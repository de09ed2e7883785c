"""soundlens for Python: sound classification into the 527 AudioSet classes,
with explanations that can be checked, from a notebook.

    import soundlens
    a = soundlens.analyze("cough.flac")            # or a numpy array with sample_rate=
    a.predictions[0]                                # Prediction(index=47, label='Cough', probability=0.93)
    a.figure()                                      # PNG bytes; a notebook shows `a` itself as the figure
    a.explanations[0].map                           # numpy (rows x columns), rows from the lowest band
    a.events_frame()                                # pandas DataFrame (when pandas is installed)
    a.explain("Cough", method="integrated-gradients", faithfulness=True)

The engine is the same C++ code as `soundlens analyze`: the options have the
same names (with _ for -: top_k, window_s, event_threshold...), the same
defaults and checks, and `to_json()` is the line `soundlens analyze --json`
prints. Errors raise soundlens.Error with the CLI's and API's code and message.
Calls release the GIL; Ctrl-C stops a long analysis.
"""
import json
import math
import numbers
import os
from dataclasses import dataclass, field

import numpy as np

from . import _engine

__all__ = ["analyze", "models", "options", "Model", "Analysis", "Explanation", "Prediction", "Event", "Error"]
__version__ = _engine.version
commit = _engine.commit


class Error(Exception):
    """An error of the engine: `.code` is the code the CLI and the HTTP API use
    (unsupported_format, bad_request, too_long, model_not_loaded, ...)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self):
        return f"{self.message} ({self.code})"


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except _engine.EngineError as e:
        code, message = e.args
        raise Error(code, message) from None


def _option_text(name, value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ",".join(_option_text(name, v) for v in value)
    if isinstance(value, (int, float, np.integer, np.floating, str)):
        return str(value)
    raise Error("bad_request", f"option {name}: {type(value).__name__} is not a number, text, flag or list")


_ALIASES = {"class_": "classes"}  # --class (a Python keyword); on HTTP and here: classes, a list or one


def _options(options):
    # None means "the default".
    return {_ALIASES.get(name, name): _option_text(name, value) for name, value in options.items()
            if value is not None}


@dataclass(frozen=True)
class Prediction:
    index: int
    label: str
    probability: float


@dataclass(frozen=True)
class Event:
    index: int
    label: str
    onset_s: float
    offset_s: float
    probability: float
    low_hz: float = None
    high_hz: float = None
    extra: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Explanation:
    """One class's map. `map` is rows x columns in [0, 1], row 0 the lowest band;
    `times_s` the start of each column, `band_edges_hz` the rows + 1 band edges."""
    target: Prediction
    method: str
    map: np.ndarray
    times_s: np.ndarray
    band_edges_hz: np.ndarray
    seconds_per_column: float
    raw: dict = field(repr=False)

    @property
    def faithfulness(self):
        return self.raw.get("faithfulness")

    @property
    def sanity(self):
        return self.raw.get("sanity")

    @property
    def listen(self):
        return self.raw.get("listen")


class Listening(tuple):
    """(kept, removed, sample_rate, kept_probability, removed_probability), unpacked as a tuple,
    with the listening search's fields as attributes (see Analysis.listen)."""

    def __new__(cls, kept, removed, sample_rate, check):
        self = super().__new__(cls, (kept, removed, sample_rate, check["kept_probability"],
                                     check["removed_probability"]))
        self.check = check
        return self

    def __getattr__(self, name):
        try:
            return self.__dict__["check"][name]
        except KeyError:
            raise AttributeError(name) from None


def _explanation(raw):
    target = Prediction(raw["index"], raw["label"], raw.get("probability", float("nan")))
    grid = np.asarray(raw["map"], dtype=np.float32)
    columns = grid.shape[1] if grid.ndim == 2 else 0
    step = raw.get("seconds_per_column", 0.0)
    edges = raw.get("row_edges_hz") or []
    return Explanation(target=target, method=raw.get("method", ""), map=grid,
                       times_s=np.arange(columns, dtype=np.float64) * step,
                       band_edges_hz=np.asarray(edges, dtype=np.float64), seconds_per_column=step, raw=raw)


class Analysis:
    """One recording analysed: predictions, timeline, events, explanations."""

    def __init__(self, model, result, options):
        self._model = model
        self._result = result
        self._options = options
        self.json = json.loads(result.json())

    @property
    def predictions(self):
        return [Prediction(p["index"], p["label"], p["probability"]) for p in self.json["predictions"]]

    @property
    def timeline(self):
        return self.json.get("timeline", [])

    @property
    def events(self):
        known = {"index", "label", "onset_s", "offset_s", "probability", "low_hz", "high_hz"}
        return [Event(e["index"], e["label"], e["onset_s"], e["offset_s"], e["probability"], e.get("low_hz"),
                      e.get("high_hz"), {k: v for k, v in e.items() if k not in known})
                for e in self.json.get("events", [])]

    @property
    def event_counts(self):
        return self.json.get("event_counts", [])

    @property
    def explanations(self):
        return [_explanation(e) for e in self.json.get("explanations", [])]

    @property
    def duration_s(self):
        return self.json["duration_s"]

    def to_json(self):
        """The JSON `soundlens analyze --json` prints for the same file and options."""
        return self._result.json()

    def events_frame(self):
        """The events as a pandas DataFrame (needs pandas)."""
        try:
            import pandas
        except ImportError:
            raise Error("bad_request", "events_frame() needs pandas (apt install python3-pandas)") from None
        columns = ["index", "label", "onset_s", "offset_s", "probability", "low_hz", "high_hz"]
        return pandas.DataFrame([{c: e.get(c) for c in columns} for e in self.json.get("events", [])],
                                columns=columns)

    def _class_index(self, class_):
        if class_ is None:
            return self.predictions[0].index
        return _call(self._model._engine.class_index, str(class_))

    def explain(self, class_=None, method=None, **checks):
        """Explains one class (index or name; default the top one) with a method
        and checks: faithfulness=True, sanity=True, listen=True."""
        listen = bool(checks.pop("listen", False))
        options = dict(self._options, method=method, **checks)
        index = self._class_index(class_)
        return _explanation(json.loads(_call(self._result.explain, index, _options(options), listen)))

    def faithfulness(self, class_=None, method=None):
        return self.explain(class_, method, faithfulness=True).faithfulness

    def sanity(self, class_=None, method=None):
        return self.explain(class_, method, sanity=True).sanity

    def listen(self, class_=None, method=None):
        """What the map keeps and what it removes, as 32 kHz float32 audio, and the
        class's probability on each: (kept, removed, sample_rate, kept_p, removed_p).
        The kept audio is the smallest top part of the map whose audio keeps the class
        at keep_fraction (80 %) of its probability; the result also carries the search's
        fields as attributes, as the analysis JSON's "listen" has them: probability,
        keep_fraction, kept_fraction, keeps_class, under_half, absent_class, message
        (and all of them as the dict .check)."""
        options = dict(self._options, method=method)
        kept, removed, rate, check = _call(self._result.listen, self._class_index(class_), _options(options))
        return Listening(np.frombuffer(kept, dtype=np.float32), np.frombuffer(removed, dtype=np.float32), rate,
                         json.loads(check))

    def figure(self, class_=None, method=None, overlay=True):
        """The spectrogram with the class's map over it (overlay=False: without), PNG bytes."""
        options = dict(self._options, method=method)
        index = self._class_index(class_) if overlay else None
        return _call(self._result.figure, index, _options(options))

    def _repr_png_(self):
        return self.figure()

    def __repr__(self):
        top = ", ".join(f"{p.label} {p.probability:.2f}" for p in self.predictions[:3])
        return f"<soundlens.Analysis {self.json.get('model')} {self.duration_s:.1f} s: {top}>"


class Model:
    """A loaded model, kept for many calls: Model("mn04_as"), Model("yamnet")."""

    def __init__(self, name="mn04_as", model_dir=None):
        self.name = name
        self.model_dir = model_dir or ""
        self._engine = _call(_engine.Engine, name, self.model_dir)

    def analyze(self, source, sample_rate=None, all_probabilities=False, **options):
        """A path (any format the decoder takes) or a numpy array (1-D mono, or
        frames x channels, float32/float64 in [-1, 1], with sample_rate)."""
        opts = _options(options)
        if isinstance(source, (str, os.PathLike)):
            if sample_rate is not None:
                raise Error("bad_request", "sample_rate is for arrays; a file says its own rate")
            result = _call(self._engine.analyze_path, os.fspath(source), opts, all_probabilities)
        else:
            samples, channels, rate = _samples(source, sample_rate)
            result = _call(self._engine.analyze_samples, samples.tobytes(), channels, rate, opts, all_probabilities)
        return Analysis(self, result, options)


def _rate(sample_rate):
    # A whole number of samples per second; the decoder names the range it reads.
    # (True is an int to Python, 44100.5 would be truncated, 10**12 fits no C int.)
    if sample_rate is None:
        raise Error("bad_request", "an array needs sample_rate= (samples per second)")
    whole = isinstance(sample_rate, (numbers.Integral, numbers.Real)) and not isinstance(sample_rate, (bool, np.bool_))
    if whole and not isinstance(sample_rate, numbers.Integral):
        whole = math.isfinite(sample_rate) and float(sample_rate).is_integer()
    if not whole:
        raise Error("bad_request", f"sample_rate must be a whole number of samples per second, not {sample_rate!r}")
    if not 0 < int(sample_rate) < 2**31:
        raise Error("bad_request", f"sample_rate {int(sample_rate)} is not a sample rate (samples per second)")
    return int(sample_rate)


def _samples(source, sample_rate):
    array = np.asarray(source)
    sample_rate = _rate(sample_rate)
    if array.dtype.kind != "f":
        raise Error("bad_request", f"samples must be float32 or float64 in [-1, 1], not {array.dtype}"
                    + (" (int16: x.astype(numpy.float32) / 32768)" if array.dtype == np.int16 else ""))
    if array.ndim == 1:
        channels = 1
    elif array.ndim == 2:
        channels = array.shape[1]
        if channels > 64:
            raise Error("bad_request", f"samples shaped {array.shape}: expected frames x channels "
                        "(transpose a channels x frames array)")
    else:
        raise Error("bad_request", f"samples shaped {array.shape}: expected 1-D mono or frames x channels")
    if array.size == 0:
        raise Error("empty_audio", "the array holds no samples")
    if not np.all(np.isfinite(array)):
        where = int(np.argmax(~np.isfinite(array.reshape(len(array), -1)).any(axis=1)))
        raise Error("invalid_samples", f"the array has NaN or infinite samples (first at frame {where}, "
                    f"{where / float(sample_rate):.3f} s)")
    return np.ascontiguousarray(array, dtype=np.float32), channels, sample_rate


_MODELS = {}


def _model(name, model_dir):
    key = (name, model_dir or "")
    if key not in _MODELS:
        _MODELS[key] = Model(name, model_dir)
    return _MODELS[key]


def analyze(source, sample_rate=None, model="mn04_as", model_dir=None, all_probabilities=False, **options):
    """Analyses a file or a numpy array; the model is loaded once and kept."""
    return _model(model, model_dir).analyze(source, sample_rate, all_probabilities, **options)


def models(model_dir=None):
    """Each known model's facts: name, architecture, published mAP, weights file, found or not."""
    return json.loads(_engine.models(model_dir or ""))


def options():
    """Every option analyze() takes: name, help, default (as `soundlens analyze --help` lists them)."""
    return json.loads(_engine.options_help())
