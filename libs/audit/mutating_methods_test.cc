#include "libs/audit/mutating_methods.h"

#include "gtest/gtest.h"

namespace lienthong::audit {
namespace {

TEST(IsMutatingMethodTest, ReadVerbsAreReads) {
  for (const char* read :
       {"/lienthong.registry.v1.AdminUnitService/GetUnit",
        "/lienthong.registry.v1.AdminUnitService/ListUnits",
        "/lienthong.ingestion.v1.IngestionService/WatchChanges",
        "/lienthong.ingestion.v1.IngestionService/GetChangeFeedPosition",
        "/lienthong.reporting.v1.ReportingService/QueryRollups",
        "/lienthong.reporting.v1.ReportingService/ExportRollups",
        "/lienthong.reporting.v1.ReportingService/SummarizeTasks",
        "/lienthong.registry.v1.ReportingScheduleService/ResolvePeriod",
        "/lienthong.documents.v1.DocumentService/DownloadAttachment",
        "/lienthong.audit.v1.AuditService/VerifyAuditLog",
        "/grpc.health.v1.Health/Check",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"}) {
    EXPECT_FALSE(IsMutatingMethod(read)) << read;
  }
}

TEST(IsMutatingMethodTest, EverythingElseIsAMutation) {
  for (const char* write :
       {"/lienthong.registry.v1.AdminUnitService/CreateUnit",
        "/lienthong.registry.v1.AdminUnitService/MergeUnits",
        "/lienthong.registry.v1.AdminUnitService/ImportUnits",
        "/lienthong.registry.v1.PlanService/SubmitTaskProgress",
        "/lienthong.registry.v1.AgencyService/DeleteAgency",
        "/lienthong.ingestion.v1.IngestionService/SubmitValues",
        "/lienthong.ingestion.v1.IngestionService/ImportBatches",
        "/lienthong.documents.v1.DocumentService/UploadAttachment",
        "/lienthong.documents.v1.DocumentService/AcknowledgeInbox",
        "/lienthong.documents.v1.DocumentService/ImportEdxml",
        // A verb merely starting like a read one is still a mutation.
        "/x.v1.S/Getaway", "/x.v1.S/Listen", "/x.v1.S/Purge"}) {
    EXPECT_TRUE(IsMutatingMethod(write)) << write;
  }
}

}  // namespace
}  // namespace lienthong::audit
