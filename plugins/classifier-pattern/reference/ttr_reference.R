# Independent reference for the pattern classifier's indicators: R's TTR (Debian r-cran-ttr).
# Run: Rscript plugins/classifier-pattern/reference/ttr_reference.R
# Writes ttr_msft.csv: TTR's ATR(14), ADX(14) with DI+/DI-, and DonchianChannel(20) on msft_daily_ohlcv.csv.
suppressMessages(library(TTR))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
x <- read.csv(file.path(here, "..", "..", "..", "packages", "data", "embedded", "msft_daily_ohlcv.csv"))
hlc <- x[, c("high", "low", "close")]
atr <- ATR(hlc, n = 14)
adx <- ADX(hlc, n = 14)
dc <- DonchianChannel(x[, c("high", "low")], n = 20)
out <- data.frame(tr = atr[, "tr"], atr = atr[, "atr"], dip = adx[, "DIp"], din = adx[, "DIn"], dx = adx[, "DX"],
                  adx = adx[, "ADX"], dc_high = dc[, "high"], dc_low = dc[, "low"])
write.csv(format(out, digits = 15), file.path(here, "ttr_msft.csv"), row.names = FALSE, quote = FALSE, na = "")
