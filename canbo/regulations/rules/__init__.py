"""Rules as code: each rule has dated versions and answers with an Outcome naming its sources."""
