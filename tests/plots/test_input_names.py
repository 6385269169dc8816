"""Readable names of sweep inputs (:mod:`negotiation.plots.input_names`)."""

from negotiation.plots.input_names import input_label
from negotiation.plots.sensitivity import input_label as documented_input_label


def test_input_labels():
    assert input_label("Ukraine/discount") == "Ukraine: discount factor"
    assert input_label("Ukraine/red_line/0") == "Ukraine: red line 0 (on/off)"
    assert input_label("oddly named") == "oddly named"


def test_the_documented_import_paths_still_work():
    from negotiation.plots import plot_level_frequencies, plot_tornado
    from negotiation.plots.level_frequencies import plot_level_frequencies as levels_home
    from negotiation.plots.sensitivity import plot_level_frequencies as levels_old
    from negotiation.plots.sensitivity import plot_tornado as tornado_old
    from negotiation.plots.tornado import plot_tornado as tornado_home

    assert documented_input_label is input_label
    assert plot_tornado is tornado_old is tornado_home
    assert plot_level_frequencies is levels_old is levels_home
