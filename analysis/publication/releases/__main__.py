import sys

from analysis.publication.releases.making import main

sys.exit(main())
