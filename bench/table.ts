/**
 * The benchmarks' fixed-width table: a header and rows of cells, each column padded to its width, text
 * columns left-aligned and figures right-aligned, so the columns of a side-by-side comparison line up in a
 * terminal and in a pasted report. Its own file because more than one benchmark prints one.
 */

/** One column: its header, its width in characters, and which side its cells are aligned to. */
export interface Column {
  readonly header: string;
  readonly width: number;
  readonly align: "left" | "right";
}

/** A printable table of `columns`, cells joined with `separator`. */
export class Table {
  constructor(
    private readonly columns: readonly Column[],
    private readonly separator = "",
  ) {}

  /** The header line. */
  header(): string {
    return this.line(this.columns.map((column) => column.header));
  }

  /** One line of `cells`, one a column. */
  line(cells: readonly string[]): string {
    return cells
      .map((cell, i) => {
        const column = this.columns[i]!;
        return column.align === "left" ? cell.padEnd(column.width) : cell.padStart(column.width);
      })
      .join(this.separator);
  }
}
