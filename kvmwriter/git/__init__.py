"""The git layer: every question kvmwriter asks of a repository, and every change it makes."""
