//! What the catalog says about itself, so that other tools can use it without reading our
//! documentation: the shapes in force ([`shapes`]), a VoID description with its counts
//! ([`void`]) and a full dump ([`dump`]).

pub mod dump;
pub mod shapes;
pub mod void;

use crate::store::CatalogStore;

/// The three, shared by the server's handlers.
pub struct About {
    /// The application profile's shapes.
    pub shapes: shapes::Shapes,
    /// The VoID description, counted after writes.
    pub void: void::Void,
    /// The dump file.
    pub dump: dump::Dump,
}

impl About {
    /// The descriptions of `store`.
    pub fn of(store: &CatalogStore) -> Result<Self, String> {
        Ok(Self {
            shapes: shapes::Shapes::new()?,
            void: void::Void::default(),
            dump: dump::Dump::of(store),
        })
    }
}
