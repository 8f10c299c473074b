"""Research tools, run from a checkout and not installed: speed benchmark, abstention calibration, ablation."""
