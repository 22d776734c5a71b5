/**
 * Plots of a job as standalone SVG drawn on the server, so they render anywhere (an img tag, a README,
 * a terminal's image viewer) without a browser or a chart library: the loss curves of any job and, for
 * sine jobs, the seed lesson's fit picture. Each series is a {@code <g data-series="…">} so tests and
 * scripts can read the plot back as XML.
 */
package dev.dojo.plot;
