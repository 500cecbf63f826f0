//! Every operation of the MOGU reference (../shared/reference/mogu/openapi.yaml), so that
//! paths moapi has not built yet answer 501 rather than 404. Generated from the reference;
//! `crates/moapi/tests/reference_catalogs.rs` keeps it honest.

use moapi_core::route_catalog::Operation;

#[rustfmt::skip]
pub const OPERATIONS: &[Operation] = &[
    Operation { method: "GET", path: "/trips", operation_id: "getTrips" },
    Operation { method: "POST", path: "/trips", operation_id: "createTrip" },
    Operation { method: "DELETE", path: "/trips", operation_id: "deleteTrip" },
    Operation { method: "GET", path: "/trips/{tripId}", operation_id: "getTripById" },
    Operation { method: "PATCH", path: "/trips/{tripId}", operation_id: "updateTrip" },
    Operation { method: "GET", path: "/trips/{tripId}/config", operation_id: "getTripConfig" },
    Operation { method: "PATCH", path: "/trips/{tripId}/config", operation_id: "updateTripConfig" },
    Operation { method: "PATCH", path: "/trips/{tripId}/visibility", operation_id: "setTripVisibility" },
    Operation { method: "GET", path: "/trips/{tripId}/visualizations", operation_id: "getTripVisualizations" },
    Operation { method: "GET", path: "/catalogs", operation_id: "getCatalogs" },
    Operation { method: "POST", path: "/catalogs", operation_id: "createCatalog" },
    Operation { method: "GET", path: "/catalogs/{catalogId}", operation_id: "getCatalogById" },
    Operation { method: "PATCH", path: "/catalogs/{catalogId}", operation_id: "updateCatalog" },
    Operation { method: "DELETE", path: "/catalogs/{catalogId}", operation_id: "deleteCatalog" },
    Operation { method: "GET", path: "/catalogs/{catalogId}/trips", operation_id: "getCatalogTrips" },
    Operation { method: "POST", path: "/catalogs/{catalogId}/trips", operation_id: "addTripsToCatalog" },
    Operation { method: "DELETE", path: "/catalogs/{catalogId}/trips", operation_id: "removeTripsFromCatalog" },
    Operation { method: "PATCH", path: "/catalogs/{catalogId}/visibility", operation_id: "setCatalogVisibility" },
    Operation { method: "POST", path: "/ai/trips/from-document", operation_id: "createTripFromDocument" },
    Operation { method: "GET", path: "/ai/trips/{publicId}/status", operation_id: "getJobStatus" },
    Operation { method: "POST", path: "/ai/trips/{publicId}/actions/cancel", operation_id: "cancelJob" },
];
