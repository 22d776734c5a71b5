/** Training data: the seed's noisy sine curve, generated from a job's seed. Pure Java, no Spring. */
package dev.dojo.dataset;
