// Reads BibTeX and RIS files with citation-js and reports, per file, how many records it read,
// which could not be read, and titles that kept TeX markup. Usage: node citationjs.cjs FILE...
const fs = require("fs");
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-bibtex");
require("@citation-js/plugin-ris");

plugins.config.get("@bibtex").parse.strict = false;

const report = process.argv.slice(2).map((file) => {
  const text = fs.readFileSync(file, "utf8");
  const format = file.endsWith(".ris") ? "@ris/file" : "@biblatex/text";
  try {
    const items = new Cite(text, { forceType: format }).data;
    return {
      file,
      count: items.length,
      ids: items.map((item) => item["citation-key"] || item.id),
      tex: items.filter((item) => /[\\{}$]/.test(item.title || "")).map((item) => item.title),
    };
  } catch (error) {
    return { file, error: String(error) };
  }
});
process.stdout.write(JSON.stringify(report));
