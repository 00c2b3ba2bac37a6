// stylelint for the theme's CSS (tests/e2e/test_validators.py runs it on every theme's static/*.css).
//
// stylelint-config-standard knows current CSS (aspect-ratio, :is(), range media queries ...),
// which the W3C validator's CSS profile does not. We keep its rules that find mistakes a
// visitor would see (unknown or misspelt properties and units, invalid colours, a
// declaration overridden in the same block, deprecated properties, missing generic font
// families, ...) and turn off the ones that only choose between equivalent spellings: the
// theme's compact one-line rules are deliberate, and a style preference must not fail CI.
export default {
  extends: ["stylelint-config-standard"],
  rules: {
    // Spelling choices, not mistakes:
    "declaration-block-single-line-max-declarations": null, // one-line rules keep the theme short to read
    "alpha-value-notation": null, // 0.45 and 45% mean the same
    "color-function-notation": null, // rgba(0, 0, 0, 0.2) and rgb(0 0 0 / 20%) mean the same
    "color-function-alias-notation": null, // rgba() and rgb() are aliases
    "color-hex-length": null, // #ffffff and #fff mean the same
    "media-feature-range-notation": null, // (max-width: 600px) works everywhere, and reads plainly
    "at-rule-empty-line-before": null,
    "shorthand-property-no-redundant-values": null,
    // Font names keep their capitals (also in custom properties such as --serif); @page size A4.
    "value-keyword-case": ["lower", { ignoreProperties: ["font-family", "font", "/^--/"], ignoreKeywords: ["A4"] }],
    // page-break-* stays beside break-* in the print rules, for print engines that read only the old name.
    "property-no-deprecated": [true, { ignoreProperties: ["page-break-before", "page-break-after", "page-break-inside"] }],
    // Order, not correctness: the theme is ordered by component, and each of these was read and is intended.
    "no-descending-specificity": null,
    // -webkit-text-size-adjust is still the only spelling iOS Safari obeys.
    "property-no-vendor-prefix": [true, { ignoreProperties: ["text-size-adjust"] }],
  },
};
