//! A Parquet file whose columns are encoded and compressed on rayon's
//! threads (as many as `--threads`), each batch's columns at once: the one
//! writer of an ordered export would otherwise encode every column of
//! every row on one core. As with the Arrow writer, a row group is held
//! encoded and compressed until it is complete, never as raw rows.

use std::io;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowSchemaConverter;
use parquet::arrow::arrow_writer::{ArrowColumnWriter, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use rayon::prelude::*;

/// One Parquet file being written.
pub struct TableFile<W: io::Write + Send> {
    writer: SerializedFileWriter<W>,
    factory: ArrowRowGroupWriterFactory,
    schema: SchemaRef,
    row_group_rows: usize,
    /// The column writers of the row group being filled, and its rows.
    columns: Option<Vec<ArrowColumnWriter>>,
    rows: usize,
    row_groups: usize,
}

fn other(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e)
}

impl<W: io::Write + Send> TableFile<W> {
    pub fn new(out: W, schema: SchemaRef, props: &WriterProperties, row_group_rows: usize) -> io::Result<Self> {
        let mut props = props.clone();
        // readers restore the Arrow types (the time zone of `time`) from it
        parquet::arrow::add_encoded_arrow_schema_to_metadata(&schema, &mut props);
        let parquet_schema =
            ArrowSchemaConverter::new().with_coerce_types(props.coerce_types()).convert(&schema).map_err(other)?;
        let writer = SerializedFileWriter::new(out, parquet_schema.root_schema_ptr(), std::sync::Arc::new(props))
            .map_err(other)?;
        let factory = ArrowRowGroupWriterFactory::new(&writer, schema.clone());
        Ok(TableFile {
            writer,
            factory,
            schema,
            row_group_rows: row_group_rows.max(1),
            columns: None,
            rows: 0,
            row_groups: 0,
        })
    }

    /// Encodes rows into the current row group, closing it when full.
    pub fn write(&mut self, mut batch: RecordBatch) -> io::Result<()> {
        while batch.num_rows() > 0 {
            let take = (self.row_group_rows - self.rows).min(batch.num_rows());
            let part = batch.slice(0, take);
            batch = batch.slice(take, batch.num_rows() - take);
            if self.columns.is_none() {
                self.columns = Some(self.factory.create_column_writers(self.row_groups).map_err(other)?);
            }
            let columns = self.columns.as_mut().expect("made above");
            let fields = self.schema.fields();
            // every column (a value or a list of values) is one leaf, one writer
            columns
                .par_iter_mut()
                .enumerate()
                .try_for_each(|(i, w)| {
                    compute_leaves(&fields[i], part.column(i))?.iter().try_for_each(|leaf| w.write(leaf))
                })
                .map_err(other)?;
            self.rows += take;
            if self.rows == self.row_group_rows {
                self.close_row_group()?;
            }
        }
        Ok(())
    }

    /// Finishes the row group being filled (its columns closed at once) and writes it.
    fn close_row_group(&mut self) -> io::Result<()> {
        let Some(columns) = self.columns.take() else { return Ok(()) };
        let chunks = columns.into_par_iter().map(|w| w.close()).collect::<Result<Vec<_>, _>>().map_err(other)?;
        let mut group = self.writer.next_row_group().map_err(other)?;
        for c in chunks {
            c.append_to_row_group(&mut group).map_err(other)?;
        }
        group.close().map_err(other)?;
        self.rows = 0;
        self.row_groups += 1;
        Ok(())
    }

    /// Writes what is left and the footer; the output back.
    pub fn finish(mut self) -> io::Result<W> {
        if self.rows > 0 {
            self.close_row_group()?;
        }
        self.writer.into_inner().map_err(other)
    }
}
