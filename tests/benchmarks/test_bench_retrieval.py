"""Benchmark retrieval helpers on small random vectors: recall, sweeps, caching, and the speed CLI's options."""

import numpy as np
import pytest

from benchmarks import ann


def test_random_vectors_are_unit_and_reproducible():
    a, b = ann.random_vectors(500, dim=16, seed=3, block=128), ann.random_vectors(500, dim=16, seed=3)
    assert a.dtype == np.float32 and a.shape == (500, 16)
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-5)
    assert np.allclose(a, b)


def test_perturbed_vectors_stay_near_their_base():
    base = ann.random_vectors(10, dim=32, seed=0)
    vecs = ann.perturbed_vectors(base, 100, noise=0.3, seed=1)
    assert vecs.shape == (100, 32)
    sims = np.einsum("ij,ij->i", vecs, base[np.arange(100) % 10])
    assert sims.min() > 0.8
    with pytest.raises(ValueError):
        ann.perturbed_vectors(base[:0], 10)


def test_recall_at_k():
    truth = np.array([[1, 2, 3], [4, 5, 6]])
    assert ann.recall_at_k(truth, truth, 3) == 1.0
    assert ann.recall_at_k(np.array([[1, 9, 8], [6, 5, 4]]), truth, 3) == pytest.approx(4 / 6)


def test_ivf_sweep_reaches_exact_recall_when_probing_every_list(tmp_path):
    from index.store import make_faiss_index

    vectors = ann.random_vectors(3000, dim=32, seed=1)
    queries = ann.random_vectors(20, dim=32, seed=2)
    truth = ann.exact_neighbors(queries, vectors, 10)
    index, built = ann.cached_index(tmp_path / "ivf.faiss", lambda: make_faiss_index(vectors, "ivf"))
    assert built is not None and (tmp_path / "ivf.faiss").exists()
    again, built_again = ann.cached_index(tmp_path / "ivf.faiss", lambda: pytest.fail("should be cached"))
    assert built_again is None
    import faiss

    nlist = faiss.extract_index_ivf(again).nlist
    rows = ann.sweep(again, queries, truth, "nprobe", [1, nlist])
    assert rows[-1]["recall_at_10"] == 1.0
    assert ann.pick(rows, "nprobe")["nprobe"] in (1, nlist)
    with pytest.raises(ValueError):
        ann.sweep(again, queries, truth, "bogus", [1])


def test_synthetic_quick_run(tmp_path):
    from benchmarks import retrieval

    out = retrieval.synthetic(2000, "random", tmp_path, None, None, n_queries=10, nprobes=(1, 4))
    assert out["n"] == 2000 and 0 <= out["ivf"]["default"]["recall_at_10"] <= 1
    assert {r["nprobe"] for r in out["ivf"]["sweep"]} >= {1, 4}
    with pytest.raises(ValueError):
        retrieval.synthetic(2000, "perturbed", tmp_path, None, None)


def test_cli_parses_and_rejects_unknown_parts():
    from benchmarks import speed

    args = speed.build_parser().parse_args(["--quick", "--only", "retrieval", "--json"])
    assert args.quick and args.json and speed._parts(args.only) == ["retrieval"]
    with pytest.raises(ValueError):
        speed._parts("retrieval,bogus")


def test_cli_errors_are_one_line_with_exit_2(capsys):
    from benchmarks import speed

    assert speed.main(["--only", "retrieval,bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --only") and len(err.strip().splitlines()) == 1
