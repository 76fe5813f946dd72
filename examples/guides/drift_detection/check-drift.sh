#!/usr/bin/env bash
# Plans the working directory and says whether the app drifted from it.
# Exit 0: no drift. Exit 2: drift; drift-report.md lists what changed.
# Exit 1: the plan itself failed (credentials, network): see its output.
# TERRAFORM names the binary (default terraform; tofu works the same).
set -uo pipefail
tf=${TERRAFORM:-terraform}
rm -f drift-report.md
"$tf" plan -detailed-exitcode -input=false -no-color -out=drift.tfplan >plan.log 2>&1
code=$?
case $code in
  0)
    echo "No drift: the app matches the configuration."
    ;;
  2)
    {
      echo "## Drift: the app no longer matches the configuration"
      echo
      echo "Objects terraform apply would change:"
      echo
      "$tf" show -no-color drift.tfplan | grep -E '^ *# ' | sed -E 's/^ *# /- /'
      echo
      echo "Apply to restore the configuration, or change the configuration to accept what the app holds."
    } >drift-report.md
    cat drift-report.md
    ;;
  *)
    cat plan.log
    code=1
    ;;
esac
exit "$code"
