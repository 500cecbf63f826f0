//! Every operation of the vendor's MoeGo swagger (../shared/reference/moego/openapi), so that
//! paths moapi has not built yet answer UNIMPLEMENTED rather than 404. Generated from the
//! reference; `crates/moapi/tests/reference_catalogs.rs` keeps it honest.

use moapi_core::route_catalog::Operation;

pub const OPERATIONS: &[Operation] = &[
    Operation {
        method: "POST",
        path: "/v1/aggregation/clients:lookupClientPetProfile",
        operation_id: "AggregationService_LookupClientPetProfile",
    },
    Operation {
        method: "GET",
        path: "/v1/agreements/{id}",
        operation_id: "AgreementService_GetAgreement",
    },
    Operation {
        method: "GET",
        path: "/v1/agreements/{id}/sign_link",
        operation_id: "AgreementService_GetAgreementSignLink",
    },
    Operation {
        method: "POST",
        path: "/v1/agreements:list",
        operation_id: "AgreementService_ListAgreements",
    },
    Operation {
        method: "POST",
        path: "/v1/appointments/{id}:cancel",
        operation_id: "AppointmentService_CancelAppointment",
    },
    Operation {
        method: "POST",
        path: "/v1/appointments:check",
        operation_id: "AppointmentService_CheckAppointmentAvailability",
    },
    Operation {
        method: "POST",
        path: "/v1/appointments",
        operation_id: "AppointmentService_CreateAppointment",
    },
    Operation {
        method: "POST",
        path: "/v1/appointments/notes",
        operation_id: "AppointmentService_CreateAppointmentNote",
    },
    Operation {
        method: "GET",
        path: "/v1/appointments/{id}",
        operation_id: "AppointmentService_GetAppointment",
    },
    Operation {
        method: "POST",
        path: "/v1/appointments/notes:list",
        operation_id: "AppointmentService_ListAppointmentNotes",
    },
    Operation {
        method: "POST",
        path: "/v1/appointments:list",
        operation_id: "AppointmentService_ListAppointments",
    },
    Operation {
        method: "POST",
        path: "/v1/grooming_reports:list",
        operation_id: "AppointmentService_ListGroomingReports",
    },
    Operation {
        method: "POST",
        path: "/v1/appointments/{id}:reschedule",
        operation_id: "AppointmentService_RescheduleAppointment",
    },
    Operation {
        method: "PUT",
        path: "/v1/appointments/notes/{id}",
        operation_id: "AppointmentService_UpdateAppointmentNote",
    },
    Operation {
        method: "POST",
        path: "/v1/appointments/{id}:updateStatus",
        operation_id: "AppointmentService_UpdateAppointmentStatus",
    },
    Operation {
        method: "POST",
        path: "/v1/blocks",
        operation_id: "BlockService_CreateBlock",
    },
    Operation {
        method: "DELETE",
        path: "/v1/blocks/{id}",
        operation_id: "BlockService_DeleteBlock",
    },
    Operation {
        method: "GET",
        path: "/v1/blocks/{id}",
        operation_id: "BlockService_GetBlock",
    },
    Operation {
        method: "POST",
        path: "/v1/blocks:list",
        operation_id: "BlockService_ListBlocks",
    },
    Operation {
        method: "GET",
        path: "/v1/businesses/{id}",
        operation_id: "BusinessService_GetBusiness",
    },
    Operation {
        method: "POST",
        path: "/v1/businesses:list",
        operation_id: "BusinessService_ListBusiness",
    },
    Operation {
        method: "GET",
        path: "/v1/companies/{id}",
        operation_id: "CompanyService_GetCompany",
    },
    Operation {
        method: "POST",
        path: "/v1/companies:list",
        operation_id: "CompanyService_ListCompanies",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{id}/notes",
        operation_id: "CustomerService_AppendCustomerNotes",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{id}/tags",
        operation_id: "CustomerService_AppendCustomerTags",
    },
    Operation {
        method: "POST",
        path: "/v1/customers",
        operation_id: "CustomerService_CreateCustomer",
    },
    Operation {
        method: "DELETE",
        path: "/v1/customers/{customerId}/notes/{noteId}",
        operation_id: "CustomerService_DeleteCustomerNote",
    },
    Operation {
        method: "GET",
        path: "/v1/customers/{id}/cof/link",
        operation_id: "CustomerService_GenCustomerCofLink",
    },
    Operation {
        method: "GET",
        path: "/v1/customers/{id}",
        operation_id: "CustomerService_GetCustomer",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{id}/notes:list",
        operation_id: "CustomerService_ListCustomerNotes",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{id}/tags:list",
        operation_id: "CustomerService_ListCustomerTags",
    },
    Operation {
        method: "POST",
        path: "/v1/customers:list",
        operation_id: "CustomerService_ListCustomers",
    },
    Operation {
        method: "PUT",
        path: "/v1/customers/{id}",
        operation_id: "CustomerService_UpdateCustomer",
    },
    Operation {
        method: "PUT",
        path: "/v1/customers/{customerId}/notes/{noteId}",
        operation_id: "CustomerService_UpdateCustomerNote",
    },
    Operation {
        method: "POST",
        path: "/v1/discounts",
        operation_id: "DiscountService_CreateDiscount",
    },
    Operation {
        method: "GET",
        path: "/v1/discounts/{code}",
        operation_id: "DiscountService_GetDiscount",
    },
    Operation {
        method: "POST",
        path: "/v1/discounts:list",
        operation_id: "DiscountService_ListDiscounts",
    },
    Operation {
        method: "POST",
        path: "/v1/leads",
        operation_id: "LeadService_CreateLead",
    },
    Operation {
        method: "GET",
        path: "/v1/leads/{id}",
        operation_id: "LeadService_GetLead",
    },
    Operation {
        method: "POST",
        path: "/v1/leads:list",
        operation_id: "LeadService_ListLeads",
    },
    Operation {
        method: "POST",
        path: "/v1/leads:promote",
        operation_id: "LeadService_PromoteLead",
    },
    Operation {
        method: "PUT",
        path: "/v1/leads/{id}",
        operation_id: "LeadService_UpdateLead",
    },
    Operation {
        method: "POST",
        path: "/v1/memberships:list",
        operation_id: "MembershipService_ListMemberships",
    },
    Operation {
        method: "POST",
        path: "/v1/memberships/subscriptions:list",
        operation_id: "MembershipService_ListSubscriptions",
    },
    Operation {
        method: "POST",
        path: "/v1/messages:sendToCustomer",
        operation_id: "MessageService_SendMessageToCustomer",
    },
    Operation {
        method: "POST",
        path: "/v1/offerings/lodgings:list",
        operation_id: "OfferingService_ListLodgings",
    },
    Operation {
        method: "POST",
        path: "/v1/offerings/services:list",
        operation_id: "OfferingService_ListServices",
    },
    Operation {
        method: "GET",
        path: "/v1/abandoned_bookings/{id}",
        operation_id: "OnlineBookingService_GetAbandonedBooking",
    },
    Operation {
        method: "POST",
        path: "/v1/online-booking/availability",
        operation_id: "OnlineBookingService_GetBookingAvailability",
    },
    Operation {
        method: "POST",
        path: "/v1/abandoned_bookings:list",
        operation_id: "OnlineBookingService_ListAbandonedBookings",
    },
    Operation {
        method: "GET",
        path: "/v1/orders/{id}",
        operation_id: "OrderService_GetOrder",
    },
    Operation {
        method: "POST",
        path: "/v1/orders/discounts:list",
        operation_id: "OrderService_ListOrderDiscounts",
    },
    Operation {
        method: "POST",
        path: "/v1/orders/items:list",
        operation_id: "OrderService_ListOrderLineItems",
    },
    Operation {
        method: "POST",
        path: "/v1/orders/redeemPackages:list",
        operation_id: "OrderService_ListOrderRedeemPackages",
    },
    Operation {
        method: "POST",
        path: "/v1/orders:list",
        operation_id: "OrderService_ListOrders",
    },
    Operation {
        method: "POST",
        path: "/v1/packages/details:list",
        operation_id: "PackageService_ListPackageDetails",
    },
    Operation {
        method: "POST",
        path: "/v1/packages:list",
        operation_id: "PackageService_ListPackages",
    },
    Operation {
        method: "GET",
        path: "/v1/payment/{id}",
        operation_id: "PaymentService_GetPayment",
    },
    Operation {
        method: "POST",
        path: "/v1/payments:list",
        operation_id: "PaymentService_ListPayments",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{customerId}/pets/{id}/codes",
        operation_id: "PetService_AppendPetCodes",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{customerId}/pets/{id}/notes",
        operation_id: "PetService_AppendPetNotes",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{customerId}/pets",
        operation_id: "PetService_CreatePet",
    },
    Operation {
        method: "DELETE",
        path: "/v1/customers/{customerId}/pets/{id}/codes/{petCodeId}",
        operation_id: "PetService_DeletePetCode",
    },
    Operation {
        method: "GET",
        path: "/v1/customers/{customerId}/pets/{id}",
        operation_id: "PetService_GetPet",
    },
    Operation {
        method: "POST",
        path: "/v1/pets:list",
        operation_id: "PetService_ListAllPets",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{customerId}/pets/{id}/notes:list",
        operation_id: "PetService_ListPetNotes",
    },
    Operation {
        method: "POST",
        path: "/v1/customers/{customerId}/pets:list",
        operation_id: "PetService_ListPets",
    },
    Operation {
        method: "PUT",
        path: "/v1/customers/{customerId}/pets/{id}",
        operation_id: "PetService_UpdatePet",
    },
    Operation {
        method: "POST",
        path: "/v1/reports/data:fetch",
        operation_id: "ReportService_FetchReportData",
    },
    Operation {
        method: "POST",
        path: "/v1/reports:list",
        operation_id: "ReportService_ListReports",
    },
    Operation {
        method: "POST",
        path: "/v1/retail/packages:list",
        operation_id: "RetailService_ListPackages",
    },
    Operation {
        method: "POST",
        path: "/v1/retail/products:list",
        operation_id: "RetailService_ListProducts",
    },
    Operation {
        method: "POST",
        path: "/v1/reviews:list",
        operation_id: "ReviewService_ListReviews",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/services",
        operation_id: "SettingService_CreateService",
    },
    Operation {
        method: "GET",
        path: "/v1/setting/companies/{companyId}/services/{id}",
        operation_id: "SettingService_GetService",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/custom_fields",
        operation_id: "SettingService_ListCustomFields",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/customer/referral_sources:list",
        operation_id: "SettingService_ListCustomerReferralSources",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/customer/tags:list",
        operation_id: "SettingService_ListCustomerTags",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/leads/action_status",
        operation_id: "SettingService_ListLeadsActionStatus",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/leads/life_cycles",
        operation_id: "SettingService_ListLeadsLifeCycles",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/lodgings",
        operation_id: "SettingService_ListLodgings",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/pet/coat_types:list",
        operation_id: "SettingService_ListPetCoatTypes",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/pet/codes:list",
        operation_id: "SettingService_ListPetCodes",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/pet/sizes:list",
        operation_id: "SettingService_ListPetSizes",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/pet/types:list",
        operation_id: "SettingService_ListPetTypes",
    },
    Operation {
        method: "POST",
        path: "/v1/setting/companies/{companyId}/services:list",
        operation_id: "SettingService_ListServices",
    },
    Operation {
        method: "PUT",
        path: "/v1/setting/companies/{companyId}/services/{id}",
        operation_id: "SettingService_UpdateService",
    },
    Operation {
        method: "GET",
        path: "/v1/staffs/{id}",
        operation_id: "StaffService_GetStaff",
    },
    Operation {
        method: "POST",
        path: "/v1/staffs:list",
        operation_id: "StaffService_ListStaffs",
    },
    Operation {
        method: "POST",
        path: "/v1/van_staff_records:list",
        operation_id: "VanRecordService_ListVanStaffRecords",
    },
    Operation {
        method: "POST",
        path: "/v1/vans:list",
        operation_id: "VanService_ListVans",
    },
    Operation {
        method: "POST",
        path: "/v1/webhooks",
        operation_id: "WebhookService_CreateWebhook",
    },
    Operation {
        method: "DELETE",
        path: "/v1/webhooks/{id}",
        operation_id: "WebhookService_DeleteWebhook",
    },
    Operation {
        method: "GET",
        path: "/v1/webhooks/{id}",
        operation_id: "WebhookService_GetWebhook",
    },
    Operation {
        method: "GET",
        path: "/v1/webhook/deliveries/{id}",
        operation_id: "WebhookService_GetWebhookDelivery",
    },
    Operation {
        method: "POST",
        path: "/v1/webhook/deliveries:list",
        operation_id: "WebhookService_ListWebhookDeliveries",
    },
    Operation {
        method: "POST",
        path: "/v1/webhooks:list",
        operation_id: "WebhookService_ListWebhooks",
    },
    Operation {
        method: "POST",
        path: "/v1/webhooks/deliveries/{id}/redeliver",
        operation_id: "WebhookService_RedeliverWebhookDeliveries",
    },
    Operation {
        method: "POST",
        path: "/v1/webhooks/{id}/test",
        operation_id: "WebhookService_TriggerTestWebhookDelivery",
    },
    Operation {
        method: "PUT",
        path: "/v1/webhooks/{id}",
        operation_id: "WebhookService_UpdateWebhook",
    },
];
