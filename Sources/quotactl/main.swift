print("quotactl")
