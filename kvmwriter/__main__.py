from kvmwriter.cli import run

run()
