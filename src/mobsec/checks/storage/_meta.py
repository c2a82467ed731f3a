"""Standard references shared by the storage and ICC checks (one wording per area)."""

GBT_STORAGE = "5.4.3 数据存储安全 / data storage"
GBT_INPUT = "5.3.6 输入验证 / input validation"
GBT_COMPONENT = "5.3.5 组件安全 / components and inter-process communication"
