"""Tiny, randomly initialised MusicGen checkpoints built with audiocraft's own classes.

They are saved in the exact on-disk layout of the released models (`state_dict.bin` and
`compression_state_dict.bin`, config as YAML text under `xp.cfg`, weights under `best_state`), so
the engine loads them through the same code path a downloaded `facebook/musicgen-small` takes.
Two things real models fetch from hubs at build time are laid into the local caches instead:
the `t5-base` text encoder (Hugging Face cache) and demucs' `htdemucs` (torch hub cache).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import torch
from omegaconf import OmegaConf

from sketchpad.engine.catalog import HTDEMUCS_FILE

SAMPLE_RATE = 32000
T5_NAME = "t5-base"
T5_DIM = 768  # audiocraft's T5Conditioner sizes its projection from the name, so keep t5-base's width

SNAPSHOT = "0123456789abcdef0123456789abcdef01234567"
WORDS = (  # noqa: SIM905 - one readable line of words
    "earthy tones ukulele gentle grooves lofi piano drums bass guitar synth strings warm bright "
    "calm energetic jazz rock ambient pad melody rhythm slow fast soft loud happy sad dark light"
).split()


def _compression_cfg(*, dimension: int = 16, n_filters: int = 2, lstm: int = 0, bins: int = 32) -> dict:
    """The tiny codec by default; the keyword arguments give the released 32 kHz EnCodec's geometry
    (dimension 128, n_filters 64, lstm 2, bins 2048) for full-size benchmarks."""
    return {
        "device": "cpu",
        "dtype": "float32",
        "sample_rate": SAMPLE_RATE,
        "channels": 1,
        "compression_model": "encodec",
        "encodec": {
            "autoencoder": "seanet", "quantizer": "rvq", "sample_rate": SAMPLE_RATE, "channels": 1,
            "causal": False, "renormalize": False,
        },
        "seanet": {
            "dimension": dimension, "channels": 1, "causal": False, "n_filters": n_filters, "n_residual_layers": 1,
            "ratios": [8, 5, 4, 4], "activation": "ELU", "activation_params": {"alpha": 1.0},
            "norm": "weight_norm", "norm_params": {}, "kernel_size": 7, "residual_kernel_size": 3,
            "last_kernel_size": 7, "dilation_base": 2, "pad_mode": "constant", "true_skip": True,
            "compress": 2, "lstm": lstm, "disable_norm_outer_blocks": 0,
            "decoder": {"trim_right_ratio": 1.0, "final_activation": None, "final_activation_params": None},
            "encoder": {},
        },
        "rvq": {
            "n_q": 4, "q_dropout": False, "bins": bins, "decay": 0.99, "kmeans_init": True,
            "kmeans_iters": 5, "threshold_ema_dead_code": 2, "orthogonal_reg_weight": 0.0,
            "orthogonal_reg_active_codes_only": False,
        },
        "no_quant": {},
    }


def _lm_cfg(*, stereo: bool, melody: bool, segment_duration: float, dim: int = 32, layers: int = 2,
            heads: int = 2, hidden_scale: int = 2, card: int = 32) -> dict:
    n_q = 8 if stereo else 4
    delays = [0, 0, 1, 1, 2, 2, 3, 3] if stereo else [0, 1, 2, 3]
    conditioners: dict = {
        "description": {
            "model": "t5",
            "t5": {"name": T5_NAME, "finetune": False, "word_dropout": 0.0, "normalize_text": False},
        }
    }
    if melody:
        conditioners["self_wav"] = {
            "model": "chroma_stem",
            "chroma_stem": {
                "sample_rate": SAMPLE_RATE, "n_chroma": 12, "radix2_exp": 14, "argmax": True,
                "match_len_on_eval": False, "eval_wavs": None, "n_eval_wavs": 0, "cache_path": None,
            },
        }
    return {
        "device": "cpu",
        "dtype": "float32",
        "sample_rate": SAMPLE_RATE,
        "channels": 2 if stereo else 1,
        "lm_model": "transformer_lm",
        "codebooks_pattern": {
            "modeling": "delay", "delay": {"delays": delays, "flatten_first": 0, "empty_initial": 0},
        },
        "transformer_lm": {
            "dim": dim, "num_heads": heads, "num_layers": layers, "hidden_scale": hidden_scale, "n_q": n_q,
            "card": card,
            "dropout": 0.0, "emb_lr": None, "activation": "gelu", "norm_first": True, "bias_ff": False,
            "bias_attn": False, "bias_proj": False, "past_context": None, "causal": True, "custom": False,
            "memory_efficient": True, "attention_as_float32": False, "layer_scale": None,
            "positional_embedding": "sin", "xpos": False, "checkpointing": "none", "weight_init": "gaussian",
            "depthwise_init": "current", "zero_bias_init": True, "norm": "layer_norm",
            "cross_attention": False, "qk_layer_norm": False, "qk_layer_norm_cross": False,
            "attention_dropout": None, "kv_repeat": 1, "two_step_cfg": False,
        },
        "classifier_free_guidance": {"training_dropout": 0.2, "inference_coef": 3.0},
        "attribute_dropout": {"args": {"active_on_eval": False}, "text": {}, "wav": {}},
        "fuser": {
            "cross_attention_pos_emb": False, "cross_attention_pos_emb_scale": 1, "sum": [],
            "prepend": ["self_wav"] if melody else [], "cross": ["description"], "input_interpolate": [],
        },
        "conditioners": conditioners,
        "dataset": {"segment_duration": segment_duration},
        "interleave_stereo_codebooks": {"use": stereo, "per_timestep": False},
    }


def build_t5_cache(hf_home: Path) -> None:
    """A tiny random T5 encoder and a trained SentencePiece vocabulary, cached as `t5-base`."""
    import sentencepiece as spm
    from transformers import T5Config, T5EncoderModel, T5Tokenizer

    repo = Path(hf_home) / "hub" / f"models--{T5_NAME}"
    snapshot = repo / "snapshots" / SNAPSHOT
    if (snapshot / "model.safetensors").exists():
        return
    snapshot.mkdir(parents=True, exist_ok=True)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(SNAPSHOT)
    sentences = [" ".join(WORDS[i:] + WORDS[:i]) for i in range(len(WORDS))]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences * 4), model_prefix=str(snapshot / "spiece"), vocab_size=48,
        hard_vocab_limit=False,
        model_type="unigram", pad_id=0, eos_id=1, unk_id=2, bos_id=-1, minloglevel=2,
    )
    (snapshot / "spiece.vocab").unlink()
    tokenizer = T5Tokenizer(str(snapshot / "spiece.model"), extra_ids=0, legacy=True)
    tokenizer.save_pretrained(str(snapshot))
    torch.manual_seed(0)
    config = T5Config(
        vocab_size=64, d_model=T5_DIM, d_kv=8, d_ff=16, num_layers=1, num_heads=2,
        relative_attention_num_buckets=8, decoder_start_token_id=0,
    )
    T5EncoderModel(config).save_pretrained(str(snapshot))


def build_htdemucs_cache(torch_home: Path) -> None:
    """A tiny random HTDemucs in the released geometry (nfft 4096, depth 4), where torch hub caches it."""
    from demucs.htdemucs import HTDemucs
    from demucs.states import serialize_model

    target = Path(torch_home) / "hub" / "checkpoints" / HTDEMUCS_FILE
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    model = HTDemucs(
        sources=["drums", "bass", "other", "vocals"], audio_channels=2, samplerate=44100, segment=4,
        channels=4, nfft=4096, depth=4, t_layers=1, t_heads=2, t_hidden_scale=1.0,
        dconv_comp=1, rewrite=False,
    )
    package = serialize_model(model, OmegaConf.create({}), half=False)
    torch.save(package, target)


def _save(package: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(package, path)


def build_model_folder(
    folder: Path, *, stereo: bool = False, melody: bool = False, segment_duration: float = 30.0, seed: int = 0,
    dim: int = 32, layers: int = 2, heads: int = 2, hidden_scale: int = 2, card: int = 32,
    codec: dict | None = None,
) -> Path:
    """Build and save one tiny MusicGen; `t5-base` (and `htdemucs` for melody) must be cached first.
    `dim`, `layers`, `heads`, `hidden_scale` and `card` size its language model (a larger one for memory
    figures, the released geometry for benchmarks); `codec` holds `_compression_cfg`'s keyword arguments."""
    from sketchpad.engine.runtime import import_audiocraft

    import_audiocraft()
    import audiocraft
    from audiocraft.models import builders

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    comp_cfg = OmegaConf.create(_compression_cfg(**(codec or {})))
    compression = builders.get_compression_model(comp_cfg)
    # Initialise the k-means codebooks the way training would, so codes decode to distinct audio.
    compression.quantizer.train()
    compression.quantizer(torch.randn(8, int(comp_cfg.seanet.dimension), 128), 50)
    compression.eval()
    lm_cfg = OmegaConf.create(_lm_cfg(stereo=stereo, melody=melody, segment_duration=segment_duration, dim=dim,
                                      layers=layers, heads=heads, hidden_scale=hidden_scale, card=card))
    lm = builders.get_lm_model(copy.deepcopy(lm_cfg))
    meta = {"version": audiocraft.__version__, "exported": True}
    _save({"xp.cfg": OmegaConf.to_yaml(comp_cfg), "best_state": compression.state_dict(), **meta},
          folder / "compression_state_dict.bin")
    _save({"xp.cfg": OmegaConf.to_yaml(lm_cfg), "best_state": lm.state_dict(), **meta}, folder / "state_dict.bin")
    return folder


def build_mbd_folder(folder: Path, *, n_bands: int = 2, seed: int = 0) -> Path:
    """A tiny MultiBand Diffusion decoder in audiocraft's `mbd_musicgen_32khz.th` format."""
    from sketchpad.engine.runtime import import_audiocraft

    import_audiocraft()
    from audiocraft.models import builders

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    package: dict = {"sample_rate": SAMPLE_RATE, "n_bands": n_bands}
    for band in range(n_bands):
        cfg = OmegaConf.create({
            "channels": 1,
            "schedule": {
                "repartition": "power", "variable_step_batch": True, "beta_t0": 1.0e-5, "beta_t1": 2.9e-2,
                "beta_exp": 7.5, "num_steps": 1000, "variance": "beta", "clip": 5.0, "rescale": 1.0,
                "n_bands": None, "noise_scale": 1.0,
            },
            "diffusion_unet": {
                "hidden": 4, "depth": 4, "res_blocks": 1, "norm_groups": 4, "kernel": 8, "stride": 4,
                "growth": 2, "max_channels": 10_000, "dropout": 0.0, "emb_all_layers": True, "bilstm": True,
                "codec_dim": 16, "transformer": False, "cross_attention": False,
            },
            "processor": {"name": "multi_band_processor", "use": False, "n_bands": 8,
                          "num_samples": 10_000, "power_std": 1.0},
        })
        model = builders.get_diffusion_model(cfg)
        processor = builders.get_processor(cfg.processor, sample_rate=SAMPLE_RATE)
        package[band] = {"cfg": cfg, "model_state": model.state_dict(),
                         "processor_state": processor.state_dict()}
    _save(package, folder / "mbd_musicgen_32khz.th")
    return folder


def install_in_hub_cache(model_folder: Path, hf_home: Path, repo_id: str) -> Path:
    """Lay a model folder out as a downloaded hub snapshot (`models--org--name`)."""
    repo = Path(hf_home) / "hub" / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / SNAPSHOT
    snapshot.mkdir(parents=True, exist_ok=True)
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(SNAPSHOT)
    for item in Path(model_folder).iterdir():
        target = snapshot / item.name
        if not target.exists():
            os.link(item, target)
    return snapshot
