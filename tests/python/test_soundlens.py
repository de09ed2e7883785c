"""The Python package on real audio: the same analysis as the command line,
arrays at any rate and channel count, explanations as numpy, errors with the
CLI's codes and messages. Run by ctest (label python) with PYTHONPATH at the
build's python/ folder and SOUNDLENS_SHARED_DIR at ../shared."""
import json
import os
import subprocess
import threading

import numpy as np
import pytest

import soundlens

SHARED = os.environ["SOUNDLENS_SHARED_DIR"]
BINARY = os.environ["SOUNDLENS_BINARY"]
MODELS = os.path.join(SHARED, "models")
METRO = os.path.join(SHARED, "audio", "example", "metro_station-paris.wav")
COUGH = os.path.join(SHARED, "audio", "cough", "00096021-2cb2-4098-b906-4878a5e225a3.flac")


@pytest.fixture(scope="module")
def model():
    return soundlens.Model("mn04_as", model_dir=MODELS)


def cli_json(path, *args):
    out = subprocess.run([BINARY, "analyze", path, "--json", "--model-dir", MODELS, *args],
                         capture_output=True, text=True, check=False)
    return json.loads(out.stdout.splitlines()[-1])


def cli_error(*args):
    out = subprocess.run([BINARY, "analyze", METRO, "--model-dir", MODELS, *args], capture_output=True, text=True)
    assert out.returncode != 0
    return out.stderr


def without_timings(j):
    j = dict(j)
    j.pop("timings_ms")
    return j


def decoded(path, rate, channels=1):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-ac", str(channels), "-ar", str(rate),
                          "-"], capture_output=True, check=True).stdout
    x = np.frombuffer(raw, dtype=np.float32)
    return x.reshape(-1, channels) if channels > 1 else x


def test_the_same_json_as_the_command_line(model):
    a = model.analyze(METRO, top_k=3)
    assert a.predictions[0].label == "Train"
    assert abs(a.predictions[0].probability - 0.727) < 0.01
    assert without_timings(json.loads(a.to_json())) == without_timings(cli_json(METRO, "--top-k", "3"))


def test_options_have_the_cli_names_and_checks(model):
    a = model.analyze(METRO, top_k=2, event_threshold=0.6)
    assert len(a.predictions) == 2
    with pytest.raises(soundlens.Error) as e:
        model.analyze(METRO, top_k=0)
    assert e.value.code == "bad_request"
    assert e.value.message.startswith("invalid value '0' for parameter top_k: ")
    reason = e.value.message.split(": ", 1)[1]
    assert reason in cli_error("--top-k", "0")  # the same check as the command line's
    pinned = model.analyze(METRO, class_="Cough")  # `class` is a Python keyword: class_ is accepted
    assert 47 in [x.target.index for x in pinned.explanations]
    with pytest.raises(soundlens.Error) as e:
        model.analyze(METRO, topk=3)
    assert e.value.code == "bad_request" and "unknown option 'topk'" in e.value.message


def test_an_array_at_another_rate_equals_the_file(model):
    from_file = model.analyze(METRO)
    from_array = model.analyze(decoded(METRO, 44100), sample_rate=44100)
    p = {x.index: x.probability for x in from_file.predictions}
    for x in from_array.predictions:
        assert abs(p[x.index] - x.probability) < 1e-3
    assert abs(from_array.duration_s - from_file.duration_s) < 1e-3


def test_a_stereo_array_is_averaged(model):
    stereo = decoded(METRO, 32000, channels=2)
    mono = stereo.mean(axis=1)
    a, b = model.analyze(stereo, sample_rate=32000), model.analyze(mono, sample_rate=32000)
    assert [x.index for x in a.predictions] == [x.index for x in b.predictions]
    for x, y in zip(a.predictions, b.predictions):
        assert abs(x.probability - y.probability) < 1e-4


@pytest.mark.parametrize("array, rate, code, words", [
    (np.zeros(32000, dtype=np.int16), 32000, "bad_request", "float32 or float64"),
    (np.zeros((2, 2, 100), dtype=np.float32), 32000, "bad_request", "expected 1-D mono"),
    (np.zeros((16000, 500), dtype=np.float32), 32000, "bad_request", "frames x channels"),
    (np.array([0.0, np.nan, 0.0], dtype=np.float32), 32000, "invalid_samples", "NaN"),
    (np.zeros(0, dtype=np.float32), 32000, "empty_audio", "no samples"),
    (np.zeros(32000, dtype=np.float32), None, "bad_request", "sample_rate"),
    (np.zeros(32000, dtype=np.float32), 0, "bad_request", "sample rate"),
    (np.zeros(32000, dtype=np.float32), -44100, "bad_request", "sample rate"),
    (np.zeros(32000, dtype=np.float32), 44100.5, "bad_request", "whole number"),
    (np.zeros(32000, dtype=np.float32), "44100", "bad_request", "whole number"),
    (np.zeros(32000, dtype=np.float32), True, "bad_request", "whole number"),
    (np.zeros(32000, dtype=np.float32), 10**12, "bad_request", "sample rate"),
    (np.zeros(32000, dtype=np.float32), 500, "unsupported_format", "1000 to 768000 Hz"),
    (np.zeros(32000, dtype=np.complex64), 32000, "bad_request", "not complex64"),
    (np.array(["a", "b"]), 32000, "bad_request", "float32 or float64"),
    (np.zeros((2, 32000), dtype=np.float32), 32000, "bad_request", "transpose"),
    (np.array(0.5, dtype=np.float32), 32000, "bad_request", "expected 1-D mono"),
    (np.array([0.0, 0.1, np.inf], dtype=np.float64), 32000, "invalid_samples", "first at frame 2"),
    (np.zeros(100, dtype=np.float32) + 0.1, 32000, "too_short", "at least 0.1 s"),
])
def test_bad_arrays_are_refused_clearly(model, array, rate, code, words):
    with pytest.raises(soundlens.Error) as e:
        model.analyze(array, sample_rate=rate)
    assert e.value.code == code
    assert words in e.value.message


def test_a_sample_rate_given_as_a_whole_float_or_numpy_integer(model):
    x = decoded(METRO, 32000)
    p = model.analyze(x, sample_rate=32000).predictions[0]
    assert model.analyze(x, sample_rate=32000.0).predictions[0] == p
    assert model.analyze(x, sample_rate=np.int64(32000)).predictions[0] == p


# A wrong value fails the same check, with the same reason, as the command line's flag.
@pytest.mark.parametrize("option, value, flag", [
    ("top_k", 0, "--top-k"),
    ("window_s", "abc", "--window-s"),
    ("hop_s", 100, "--hop-s"),
    ("method", "nope", "--method"),
    ("event_threshold", 2, "--event-threshold"),
    ("threads", -1, "--threads"),
    ("max_duration_s", 0, "--max-duration-s"),
])
def test_a_wrong_option_value_fails_as_on_the_command_line(model, option, value, flag):
    with pytest.raises(soundlens.Error) as e:
        model.analyze(METRO, **{option: value})
    assert e.value.code == "bad_request"
    prefix = f"invalid value '{value}' for parameter {option}: "
    assert e.value.message.startswith(prefix), e.value.message
    cli = cli_error(flag, str(value)).strip()
    assert cli.startswith(f"soundlens: invalid value '{value}' for {flag} ("), cli
    assert e.value.message[len(prefix):] == cli.split("): ", 1)[1]


def test_a_wrong_option_name_lists_the_names(model):
    with pytest.raises(soundlens.Error) as e:
        model.analyze(METRO, window=5)
    assert e.value.code == "bad_request"
    assert e.value.message.startswith("unknown option 'window' (options: top_k, ")
    assert "window_s" in e.value.message and "event_threshold" in e.value.message
    assert "unknown option --window" in cli_error("--window", "5")


def test_import_without_the_models_folder_names_where_it_looked(tmp_path):
    # A fresh folder, no SOUNDLENS_MODEL_DIR: nothing to find. Importing works
    # (a notebook can list models and options); the first analysis says what is
    # missing, every place it looked, and where to get it.
    script = (
        "import json, soundlens\n"
        "facts = {m['name']: m for m in soundlens.models()}\n"
        "print(json.dumps(facts['mn04_as']))\n"
        "try:\n"
        "    soundlens.analyze(%r)\n"
        "except soundlens.Error as e:\n"
        "    print(json.dumps([e.code, e.message]))\n" % METRO)
    env = {k: v for k, v in os.environ.items() if k != "SOUNDLENS_MODEL_DIR"}
    out = subprocess.run(["/usr/bin/python3", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    facts, (code, message) = json.loads(out[0]), json.loads(out[1])
    looked_in = ["models/efficientat/mn04_as_mAP_432.pt", "models/mn04_as_mAP_432.pt",
                 "../shared/models/efficientat/mn04_as_mAP_432.pt", "../shared/models/mn04_as_mAP_432.pt"]
    assert not facts["available"] and facts["looked_in"] == looked_in
    assert code == "model_not_loaded"
    assert message.startswith("model 'mn04_as' needs the file mn04_as_mAP_432.pt, which was not found. Looked in:")
    assert all(f"\n  {place}\n" in message for place in looked_in)
    assert "Get it from https://" in message


def test_a_file_that_is_not_audio(model, tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("not audio at all")
    with pytest.raises(soundlens.Error) as e:
        model.analyze(str(path))
    assert e.value.code == "unsupported_format"


def test_explanations_are_numpy_with_their_axes(model):
    a = model.analyze(METRO)
    e = a.explanations[0]
    assert e.map.shape == (e.raw["rows"], e.raw["cols"])
    assert 0 <= e.map.min() and e.map.max() <= 1
    assert len(e.band_edges_hz) == e.map.shape[0] + 1
    assert e.times_s[1] == pytest.approx(e.seconds_per_column)
    layer = a.explain("Train", method="layercam", faithfulness=True)
    assert layer.method == "layercam" and layer.target.index == 329
    assert {"score", "random_score"} <= set(layer.faithfulness)
    with pytest.raises(soundlens.Error) as err:
        a.explain("No such class")
    assert err.value.code == "bad_request"


def test_figure_and_listening(model):
    a = model.analyze(COUGH)
    png = a.figure()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and a._repr_png_()[:4] == b"\x89PNG"
    kept, removed, rate, kept_p, removed_p = a.listen()
    assert rate == 32000 and kept.dtype == np.float32
    assert abs(len(kept) - a.duration_s * rate) <= 1 and len(removed) == len(kept)
    assert 0 <= kept_p <= 1 and 0 <= removed_p <= 1
    # The listening search's fields, as the analysis JSON's "listen" has them.
    heard = a.listen()
    assert heard.keep_fraction == pytest.approx(0.8)
    assert 0 < heard.kept_fraction <= 1
    assert heard.keeps_class == (heard.kept_probability >= 0.8 * heard.probability - 1e-3)
    assert heard.under_half == (heard.keeps_class and heard.kept_fraction <= 0.5)
    assert isinstance(heard.message, str) and heard.message
    assert set(heard.check) >= {"kept_probability", "removed_probability", "keep_fraction", "kept_fraction",
                                "keeps_class", "under_half", "message"}
    with pytest.raises(AttributeError):
        heard.no_such_field


def test_events_as_a_table(model):
    a = model.analyze(os.path.join(SHARED, "audio", "events-dev", "dev_0.flac"))
    assert a.events, "a 120 s mixture of coughs, cries and knocks has events"
    frame = a.events_frame()
    assert list(frame.columns[:5]) == ["index", "label", "onset_s", "offset_s", "probability"]
    assert len(frame) == len(a.events)
    assert (frame.offset_s > frame.onset_s).all()


def test_models_list_their_facts():
    facts = {m["name"]: m for m in soundlens.models(MODELS)}
    assert facts["mn04_as"]["available"] and facts["mn04_as"]["default"]
    assert facts["mn04_as"]["audioset_map"] == pytest.approx(0.432)
    assert not facts["cnn14"]["available"]
    names = {o["name"] for o in soundlens.options()}
    assert {"top_k", "window_s", "method", "event_threshold", "threads"} <= names


def test_an_unknown_model_names_itself():
    with pytest.raises(soundlens.Error) as e:
        soundlens.Model("nope", model_dir=MODELS)
    assert "nope" in e.value.message


def test_threads_analyse_in_parallel(model):
    results, errors = {}, []

    def work(name, path):
        try:
            results[name] = model.analyze(path).predictions[0].index
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i, p)) for i, p in enumerate([METRO, COUGH, METRO])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results[0] == results[2] == 329


def test_version_and_commit():
    assert soundlens.__version__.count(".") == 2
    assert soundlens.commit
