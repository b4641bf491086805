"""kvmwriter: KVM x86 commit messages and cover letters, written and reviewed."""

__version__ = "0.1.0"
