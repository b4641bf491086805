import sys

from kvmwriter.cli import main

sys.exit(main())
