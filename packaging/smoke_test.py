"""Prove the bundle works on its own: `uv run python packaging/smoke_test.py [--build] [--bundle DIR]`.

The bundle is copied (hard links, so it is quick) into a fresh temporary folder and run from there with a
bare environment: no source tree, no PYTHONPATH or virtualenv, private caches holding only the tests' tiny
t5, HF_HUB_OFFLINE=1, and, where `unshare` allows, no network at all. It prints `metric: value` lines.
Checks: --version; `generate` with a tiny model folder writes audio; `render` exports a sketch; the GUI
shows its window (Xvfb), starts its engine process and generates a take (packaging/smoke_driver.py),
without torch in the window's process, and leaves no engine behind when it quits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the harness (not the bundle) uses the tests' tiny-model builders

from packaging_tools import BUNDLE, PROGRAM_NAME, copy_bundle, folder_size_mib, offline_prefix  # noqa: E402


def bare_environment(world: Path) -> dict[str, str]:
    """What a freshly logged-in person's shell would hold, pointed at private folders."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(world / "home"),
        "LANG": "C.UTF-8",
        "HF_HOME": str(world / "hf"),
        "HF_HUB_OFFLINE": "1",
        "TORCH_HOME": str(world / "torch"),
        "XDG_CONFIG_HOME": str(world / "config"),
        "XDG_DATA_HOME": str(world / "data"),
        "XDG_CACHE_HOME": str(world / "cache"),
        "XDG_RUNTIME_DIR": str(world / "runtime"),
    }
    for key in ("HOME", "XDG_RUNTIME_DIR"):
        Path(env[key]).mkdir(mode=0o700, parents=True, exist_ok=True)
    return env


def run(command: list[str], env: dict[str, str], cwd: Path, timeout: float = 600) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-4000:]}")
    return seconds


def prepare_world(world: Path) -> Path:
    """Tiny t5 in the private HF cache and a tiny MusicGen folder; returns the model folder."""
    private = {"HF_HOME": str(world / "hf"), "HF_HUB_OFFLINE": "1", "TORCH_HOME": str(world / "torch")}
    saved = {key: os.environ.get(key) for key in private}
    os.environ.update(private)  # nothing the builders touch may reach the person's own caches
    try:
        from tests import tiny_models

        tiny_models.build_t5_cache(world / "hf")
        return tiny_models.build_model_folder(world / "models" / "mono", seed=1)
    finally:  # a pytest session running this goes on with its own environment
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def write_sketch(audio_file: Path, sketch_file: Path) -> None:
    import soundfile as sf

    from sketchpad.sketch import Clip, ClipMedia, Sketch, Track, save_sketch

    audio, rate = sf.read(audio_file, dtype="float32", always_2d=True)
    media = ClipMedia(rate, {"source": audio.T.copy()}, origin="imported", source_file=audio_file.name)
    track = Track(name="Idea")
    track.clips.append(Clip(media, start=0, name="smoke"))
    save_sketch(Sketch(sample_rate=rate, title="Smoke test", tracks=[track]), sketch_file)


def smoke(bundle: Path, keep: bool = False) -> dict[str, float | str]:
    from smoke_gui import start_gui

    world = Path(tempfile.mkdtemp(prefix="sketchpad-smoke-"))
    try:
        model = prepare_world(world)
        app_dir = copy_bundle(bundle, world / "app")
        program = app_dir / PROGRAM_NAME
        env = bare_environment(world)
        out = world / "out"
        out.mkdir()
        prefix = offline_prefix()
        metrics: dict[str, float | str] = {"bundle_size_mib": round(folder_size_mib(bundle)), "network": (
            "unshared (none)" if prefix else "HF_HUB_OFFLINE only")}
        metrics["version_seconds"] = run([*prefix, str(program), "--version"], env, out)
        metrics["generate_seconds"] = run(
            [*prefix, str(program), "generate", "--model", str(model), "--prompt", "smoke test, bright ukulele",
             "--duration", "1", "--seed", "1", "--out", str(out / "idea.wav")], env, out)
        import soundfile as sf

        info = sf.info(out / "idea.wav")
        if info.frames < 0.9 * info.samplerate:
            raise RuntimeError(f"generate wrote {info.frames} frames at {info.samplerate} Hz, not ~1 s")
        write_sketch(out / "idea.wav", out / "idea.sketch")
        metrics["render_seconds"] = run([*prefix, str(program), "render", str(out / "idea.sketch"),
                                         "--out", str(out / "mix.flac")], env, out)
        if sf.info(out / "mix.flac").frames < info.frames:
            raise RuntimeError("render wrote a shorter mix than the clip")
        report = out / "gui-report.json"
        gui = start_gui(program, {**env, "SKETCHPAD_DRIVER": str(ROOT / "packaging" / "smoke_driver.py"),
                                  "SKETCHPAD_SMOKE_MODEL": str(model), "SKETCHPAD_SMOKE_REPORT": str(report)}, out)
        metrics["gui_platform"] = gui["platform"]
        metrics["window_seconds"] = gui["window_seconds"]
        metrics["wm_class"] = gui["wm_class"]
        taken = json.loads(report.read_text())
        if not taken["ok"] or taken["torch_in_gui_process"] or abs(taken["take_seconds"] - 1.0) > 0.05:
            raise RuntimeError(f"the bundled app did not generate a take as it should: {taken}")
        if taken["engine_pid"] and psutil.pid_exists(taken["engine_pid"]):
            raise RuntimeError("the bundled app's engine process outlived its window")
        metrics["gui_generate_seconds"] = taken["seconds"]
        return metrics
    finally:
        if keep:
            print(f"kept: {world}")
        else:
            shutil.rmtree(world, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help=f"default: {BUNDLE.relative_to(ROOT)}")
    parser.add_argument("--build", action="store_true", help="build the bundle first (packaging/build.py)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder for a look")
    args = parser.parse_args(argv)
    if args.build:
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], check=True)
    if not (args.bundle / PROGRAM_NAME).exists():
        print(f"smoke_test: no bundle at {args.bundle}; build it with packaging/build.py", file=sys.stderr)
        return 2
    for name, value in smoke(args.bundle, keep=args.keep).items():
        print(f"{name}: {value:.1f}" if isinstance(value, float) else f"{name}: {value}")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
