/* view.h: panes */
